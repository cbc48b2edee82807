package io.streamsgd.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.process.JvmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (and Ctrl-C, the same shutdown) leaves nothing of an embedded stack on disk. */
class WorkDirRemovedOnSigtermITCase {

  @Test
  void aStackStoppedBySigtermRemovesItsWorkDirectory(@TempDir Path tmp) throws Exception {
    Path work = tmp.resolve("work");
    Files.createDirectories(work);
    try (JvmProcess child =
        JvmProcess.start(
            "stack",
            System.getProperty("java.class.path"),
            JvmProcess.JAVA17_OPENS,
            StackUntilStopped.class.getName(),
            List.of(work.toString()),
            tmp.resolve("stack.log"))) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!Files.readString(child.log()).contains("READY") && System.nanoTime() < deadline) {
        assertThat(child.isAlive()).as("the stack is starting; see %s", child.log()).isTrue();
        Thread.sleep(200);
      }
      assertThat(Files.readString(child.log())).contains("READY");
      try (var files = Files.walk(work)) {
        assertThat(files.count()).as("broker data, checkpoints, Flink's files").isGreaterThan(10);
      }

      child.stop(Duration.ofSeconds(60)); // SIGTERM, then SIGKILL after the grace period

      assertThat(child.exitCode()).hasValue(143); // ended by SIGTERM, not killed
      assertThat(work).doesNotExist();
    }
  }
}
