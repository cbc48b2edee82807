package io.streamsgd.cli.bench.pipeline;

import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.embedded.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where the benchmark runs: a Kafka broker process and a Flink standalone cluster (a JobManager
 * and one TaskManager with two slots, separate JVMs), as production runs them, the shaded job jar
 * uploaded once.
 */
final class BenchCluster implements AutoCloseable {
  final KafkaBrokerProcess kafka;
  final StandaloneFlinkCluster flink;
  final FlinkRestClient rest;
  final String jarId;
  final int slots;

  BenchCluster(Path dir, Path jobJar, int slots, String taskManagerMemory) throws Exception {
    this.slots = slots;
    kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), Map.of("num.io.threads", "2"), Duration.ofMinutes(1));
    try {
      flink =
          StandaloneFlinkCluster.start(
              dir.resolve("flink"),
              1,
              Map.of(
                  "taskmanager.numberOfTaskSlots", String.valueOf(slots),
                  "taskmanager.memory.process.size", taskManagerMemory,
                  "taskmanager.memory.managed.fraction", "0.25",
                  "parallelism.default", String.valueOf(slots),
                  // the trainer must not restart in a benchmark: a failure is a result
                  "restart-strategy.type", "none"));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    rest = flink.rest();
    jarId = rest.uploadJar(jobJar);
    // An interrupted bench (Ctrl-C) must not leave a broker and a cluster behind.
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private final Thread shutdownHook = new Thread(this::closeQuietly, "bench-cluster-shutdown");

  private void closeQuietly() {
    try {
      stopProcesses();
    } catch (Exception e) {
      // exiting anyway
    }
  }

  /** Fails when the job has ended while it should be running: a failed run is a result, not a wait. */
  void checkRunning(String jobId) throws Exception {
    String state = rest.jobState(jobId);
    if (!"RUNNING".equals(state)) {
      throw new IllegalStateException("job " + jobId + " is " + state + "; see " + flink.directory().resolve("log"));
    }
  }

  String bootstrap() {
    return kafka.bootstrapServers();
  }

  /** Cancels a job if it still runs, and waits until it has ended. */
  void stop(String jobId) throws Exception {
    String state = rest.jobState(jobId);
    if (!Set.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
      rest.cancel(jobId);
    }
    rest.awaitState(jobId, Set.of("FINISHED", "CANCELED", "FAILED"), Duration.ofMinutes(2));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (rest.overview().path("slots-available").asInt() < slots && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    Runtime.getRuntime().removeShutdownHook(shutdownHook);
    stopProcesses();
  }

  private synchronized void stopProcesses() throws Exception {
    try {
      flink.close();
    } finally {
      kafka.close();
    }
  }
}
