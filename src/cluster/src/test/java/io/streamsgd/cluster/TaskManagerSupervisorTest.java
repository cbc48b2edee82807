package io.streamsgd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.process.JvmProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagerSupervisorTest {
  @TempDir Path dir;

  private final Pool pool = new Pool();
  private TaskManagerSupervisor supervisor;

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (supervisor != null) {
      supervisor.close();
    }
    for (JvmProcess tm : pool.taskManagers()) {
      tm.kill();
    }
  }

  @Test
  void startsTaskManagersUntilTheCountIsRunningAndNoMore() throws Exception {
    supervisor = new TaskManagerSupervisor(pool, 2);

    await(() -> pool.taskManagers().size() == 2);
    // Several checks later, still the same two.
    Thread.sleep(1200);

    assertThat(pool.taskManagers()).extracting(JvmProcess::name).containsExactly("tm-1", "tm-2");
    assertThat(pool.taskManagers()).allMatch(JvmProcess::isAlive);
  }

  @Test
  void replacesATaskManagerThatExited() throws Exception {
    supervisor = new TaskManagerSupervisor(pool, 2);
    await(() -> pool.taskManagers().size() == 2);

    pool.taskManagers().get(0).kill();
    await(() -> pool.taskManagers().size() == 3);

    List<JvmProcess> tms = pool.taskManagers();
    assertThat(tms).extracting(JvmProcess::name).containsExactly("tm-1", "tm-2", "tm-3");
    assertThat(tms).extracting(JvmProcess::isAlive).containsExactly(false, true, true);
  }

  @Test
  void triesAgainWhenStartingATaskManagerFails() throws Exception {
    pool.failingStarts.set(2);

    supervisor = new TaskManagerSupervisor(pool, 1);
    await(() -> pool.taskManagers().size() == 1);

    assertThat(pool.attempts.get()).isEqualTo(3);
    assertThat(pool.taskManagers().get(0).isAlive()).isTrue();
  }

  @Test
  void startsNoTaskManagerOnceClosed() throws Exception {
    supervisor = new TaskManagerSupervisor(pool, 1);
    await(() -> pool.taskManagers().size() == 1);

    supervisor.close();
    pool.taskManagers().get(0).kill();
    // Longer than two check intervals.
    Thread.sleep(1200);

    assertThat(pool.attempts.get()).isEqualTo(1);
    assertThat(pool.taskManagers()).hasSize(1);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static String sleeperClasspath() {
    try {
      return Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** TaskManagers that are small sleeping JVMs; the first {@code failingStarts} starts fail. */
  private final class Pool implements TaskManagerSupervisor.Pool {
    final List<JvmProcess> started = new CopyOnWriteArrayList<>();
    final AtomicInteger failingStarts = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public List<JvmProcess> taskManagers() {
      return List.copyOf(started);
    }

    @Override
    public JvmProcess startTaskManager() throws IOException, InterruptedException {
      attempts.incrementAndGet();
      if (failingStarts.getAndDecrement() > 0) {
        throw new IOException("no room for a TaskManager");
      }
      String name = "tm-" + (started.size() + 1);
      JvmProcess tm =
          JvmProcess.start(
              name,
              sleeperClasspath(),
              List.of("-Xmx16m", "-XX:TieredStopAtLevel=1"),
              Sleeper.class.getName(),
              List.of(),
              dir.resolve(name + ".log"));
      started.add(tm);
      return tm;
    }
  }
}
