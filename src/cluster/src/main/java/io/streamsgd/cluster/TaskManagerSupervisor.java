package io.streamsgd.cluster;

import io.streamsgd.process.JvmProcess;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a number of TaskManager processes running, starting a new one whenever one exits, the way a
 * Kubernetes Deployment or a systemd unit with {@code Restart=always} does. A TaskManager does not
 * only die when killed: on a fatal error it ends its own JVM (exit code 1) and relies on such a
 * supervisor. Flink 2.2 does that, for example, when a task's clean-up after a lost peer
 * TaskManager throws while recycling network buffers; a cluster without a supervisor then runs out
 * of slots and the job restarts forever.
 */
final class TaskManagerSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerSupervisor.class);

  /** What the supervisor can see and do on its cluster. */
  interface Pool {
    List<JvmProcess> taskManagers();

    JvmProcess startTaskManager() throws IOException, InterruptedException;
  }

  private final Pool pool;
  private final int count;
  private final ScheduledExecutorService timer;

  /** Exits already logged. */
  private final java.util.Set<JvmProcess> reported = new java.util.HashSet<>();

  TaskManagerSupervisor(Pool pool, int count) {
    this.pool = pool;
    this.count = count;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskmanager-supervisor");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, 0, 500, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      for (JvmProcess tm : pool.taskManagers()) {
        if (!tm.isAlive() && reported.add(tm)) {
          LOG.info(
              "{} (pid {}) exited with code {}", tm.name(), tm.pid(), tm.exitCode().orElse(-1));
        }
      }
      long alive = pool.taskManagers().stream().filter(JvmProcess::isAlive).count();
      for (long i = alive; i < count; i++) {
        JvmProcess started = pool.startTaskManager();
        LOG.info("Started {} to keep {} TaskManager(s) running", started.name(), count);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not replace a TaskManager; trying again", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
