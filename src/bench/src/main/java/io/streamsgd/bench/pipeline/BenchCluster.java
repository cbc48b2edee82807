package io.streamsgd.bench.pipeline;

import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.embedded.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where the benchmark runs: by default a Kafka broker process and a Flink standalone cluster (a
 * JobManager and one TaskManager with two slots, separate JVMs), as production runs them; or an
 * existing Kafka cluster and Flink cluster given by address. The shaded job jar is uploaded once.
 */
final class BenchCluster implements AutoCloseable {
  final KafkaBrokerProcess kafka; // null on an existing cluster
  final StandaloneFlinkCluster flink; // null on an existing cluster
  final FlinkRestClient rest;
  final String jarId;
  final int slots;
  private final String bootstrap;

  /**
   * Kafka client properties besides the bootstrap servers (security settings), passed to every
   * client and job.
   */
  final Map<String, String> kafkaProperties;

  /**
   * An existing Kafka cluster and Flink cluster: nothing is started or stopped but the bench's own
   * jobs.
   */
  BenchCluster(
      String bootstrap,
      Map<String, String> kafkaProperties,
      String flinkRestUrl,
      Path jobJar,
      int parallelism)
      throws Exception {
    this.kafka = null;
    this.flink = null;
    this.bootstrap = bootstrap;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.slots = parallelism;
    this.rest = new FlinkRestClient(flinkRestUrl);
    this.jarId = rest.uploadJar(jobJar);
  }

  boolean local() {
    return flink != null;
  }

  /**
   * The processes this bench started and its own, by role (for {@link MachineCpu}); on an existing
   * cluster only the bench's.
   */
  Map<String, Long> processes() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    if (local()) {
      out.put("broker", kafka.pid());
      out.put("jobManager", flink.jobManager().pid());
      for (int i = 0; i < flink.taskManagers().size(); i++) {
        out.put(
            i == 0 ? "taskManager" : "taskManager" + (i + 1), flink.taskManagers().get(i).pid());
      }
    }
    out.put("bench", ProcessHandle.current().pid());
    return out;
  }

  /** Client properties for the bench's own producers and consumers. */
  Map<String, Object> clientProperties() {
    Map<String, Object> out = new java.util.HashMap<>(kafkaProperties);
    out.put("bootstrap.servers", bootstrap);
    return out;
  }

  /** Job arguments that hand the Kafka client properties to a job. */
  java.util.List<String> kafkaArgs() {
    java.util.List<String> out =
        new java.util.ArrayList<>(
            java.util.List.of("--streamsgd.kafka.bootstrap-servers", bootstrap));
    kafkaProperties.forEach(
        (k, v) -> out.addAll(java.util.List.of("--streamsgd.kafka.properties." + k, v)));
    return out;
  }

  BenchCluster(Path dir, Path jobJar, int slots, String taskManagerMemory) throws Exception {
    this.slots = slots;
    this.kafkaProperties = Map.of();
    kafka =
        KafkaBrokerProcess.start(
            dir.resolve("kafka"), Map.of("num.io.threads", "2"), Duration.ofMinutes(1));
    try {
      flink =
          StandaloneFlinkCluster.start(
              dir.resolve("flink"),
              1,
              Map.of(
                  "taskmanager.numberOfTaskSlots",
                  String.valueOf(slots),
                  "taskmanager.memory.process.size",
                  taskManagerMemory,
                  "taskmanager.memory.managed.fraction",
                  "0.25",
                  "parallelism.default",
                  String.valueOf(slots),
                  // the trainer must not restart in a benchmark: a failure is a result
                  "restart-strategy.type",
                  "none"));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    bootstrap = kafka.bootstrapServers();
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

  /**
   * Fails when the job has ended while it should be running: a failed run is a result, not a wait.
   */
  void checkRunning(String jobId) throws Exception {
    String state = rest.jobState(jobId);
    if (!"RUNNING".equals(state)) {
      String cause = rest.latestRootCause(jobId);
      throw new IllegalStateException(
          "job "
              + jobId
              + " is "
              + state
              + (cause == null ? "" : ": " + cause)
              + "; see "
              + (local() ? flink.directory().resolve("log") : "the Flink cluster's logs"));
    }
  }

  String bootstrap() {
    return bootstrap;
  }

  /** Cancels a job if it still runs, and waits until it has ended. */
  void stop(String jobId) throws Exception {
    String state = rest.jobState(jobId);
    if (!Set.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
      rest.cancel(jobId);
    }
    rest.awaitState(jobId, Set.of("FINISHED", "CANCELED", "FAILED"), Duration.ofMinutes(2));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (rest.overview().path("slots-available").asInt() < slots
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    if (!local()) {
      rest.deleteJar(jarId);
      return;
    }
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
