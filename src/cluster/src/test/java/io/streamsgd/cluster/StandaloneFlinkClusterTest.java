package io.streamsgd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the cluster writes and its failure before any Flink process starts. */
class StandaloneFlinkClusterTest {

  @TempDir static Path dir;

  /** The exception of a start that Flink's memory calculation rejects, the only one run. */
  private static IOException startFailure;

  private static Path conf;

  /**
   * A JobManager of 1 MiB is refused by Flink's memory calculation (BashJavaUtils, a short-lived
   * JVM), which runs after the config is written and before any Flink process starts: the config
   * can be checked without starting a cluster.
   */
  @BeforeAll
  static void startWithAJobManagerTooSmallToRun() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("jobmanager.memory.process.size", "1m");
    overrides.put("restart-strategy.fixed-delay.delay", "2 s");
    overrides.put("pipeline.name", "say \"hi\" to C:\\new\\b");
    overrides.put("env.java.opts.all", "-XX:+UseG1GC -Xss1m");
    startFailure =
        catchThrowableOfType(
            IOException.class, () -> StandaloneFlinkCluster.start(dir, 1, overrides));
    conf = dir.resolve("conf");
  }

  @Test
  void aMemorySizeFlinkRejectsFailsTheStartWithFlinksReasonBeforeAnyProcessStarts() {
    assertThat(startFailure)
        .hasMessageStartingWith(
            "BashJavaUtils GET_JM_RESOURCE_PARAMS failed: Exception in thread \"main\" "
                + "org.apache.flink.configuration.IllegalConfigurationException: Sum of configured"
                + " JVM Metaspace (512.000mb (536870912 bytes)) and JVM Overhead (192.000mb"
                + " (201326592 bytes)) exceed configured Total Process Memory (1024.000kb"
                + " (1048576 bytes)).");
    // Every process logs under log/; the directory is created with the first one.
    assertThat(dir.resolve("log")).doesNotExist();
  }

  @Test
  void configYamlHasTheHarnessSettingsInOrderWithOverridesInPlaceAndQuotedWhereYamlNeedsIt()
      throws IOException {
    List<String> lines = Files.readAllLines(conf.resolve("config.yaml"));
    String rpcPort = valueOf(lines, "jobmanager.rpc.port");
    String restPort = valueOf(lines, "rest.port");

    assertThat(rpcPort).matches("[1-9][0-9]*");
    assertThat(restPort).matches("[1-9][0-9]*");
    assertThat(lines)
        .containsExactly(
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: 127.0.0.1",
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.rpc.port: 0",
            "taskmanager.data.port: 0",
            "blob.server.port: 0",
            "jobmanager.memory.process.size: 1m",
            "jobmanager.memory.jvm-metaspace.size: 512m",
            "taskmanager.memory.process.size: 1024m",
            "taskmanager.memory.managed.fraction: 0.1",
            "taskmanager.numberOfTaskSlots: 1",
            "parallelism.default: 1",
            "execution.checkpointing.dir: " + dir.resolve("checkpoints").toUri(),
            "execution.checkpointing.savepoint-dir: " + dir.resolve("savepoints").toUri(),
            "heartbeat.interval: 2000",
            "heartbeat.timeout: 8000",
            "restart-strategy.type: fixed-delay",
            "restart-strategy.fixed-delay.attempts: 10000",
            "restart-strategy.fixed-delay.delay: 2 s",
            "slot.request.timeout: 60000",
            "web.upload.dir: " + dir.resolve("web-upload"),
            "io.tmp.dirs: " + dir.resolve("tmp"),
            "pipeline.name: \"say \\\"hi\\\" to C:\\\\new\\\\b\"",
            "env.java.opts.all: \"-XX:+UseG1GC -Xss1m\"");
  }

  @Test
  void flinkReadsEveryAddressAs127001AndEverySettingWithTheIntendedValue() throws IOException {
    Configuration flink = GlobalConfiguration.loadConfiguration(conf.toString());
    List<String> lines = Files.readAllLines(conf.resolve("config.yaml"));
    int rpcPort = Integer.parseInt(valueOf(lines, "jobmanager.rpc.port"));
    int restPort = Integer.parseInt(valueOf(lines, "rest.port"));

    // Read through Flink's own options: a misspelt key would fall back to the option's default.
    Map<ConfigOption<?>, Object> expected = new LinkedHashMap<>();
    expected.put(JobManagerOptions.ADDRESS, "127.0.0.1");
    expected.put(JobManagerOptions.PORT, rpcPort);
    expected.put(JobManagerOptions.BIND_HOST, "127.0.0.1");
    expected.put(TaskManagerOptions.HOST, "127.0.0.1");
    expected.put(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    expected.put(RestOptions.ADDRESS, "127.0.0.1");
    expected.put(RestOptions.BIND_ADDRESS, "127.0.0.1");
    expected.put(RestOptions.PORT, restPort);
    expected.put(TaskManagerOptions.RPC_PORT, "0");
    expected.put(NettyShuffleEnvironmentOptions.DATA_PORT, 0);
    expected.put(BlobServerOptions.PORT, "0");
    expected.put(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1m"));
    expected.put(JobManagerOptions.JVM_METASPACE, MemorySize.parse("512m"));
    expected.put(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1024m"));
    expected.put(TaskManagerOptions.MANAGED_MEMORY_FRACTION, 0.1f);
    expected.put(TaskManagerOptions.NUM_TASK_SLOTS, 1);
    expected.put(CoreOptions.DEFAULT_PARALLELISM, 1);
    expected.put(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
    expected.put(
        CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
    expected.put(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
    expected.put(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, Duration.ofSeconds(8));
    expected.put(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    expected.put(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10000);
    expected.put(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    expected.put(JobManagerOptions.SLOT_REQUEST_TIMEOUT, Duration.ofMinutes(1));
    expected.put(WebOptions.UPLOAD_DIR, dir.resolve("web-upload").toString());
    expected.put(CoreOptions.TMP_DIRS, dir.resolve("tmp").toString());
    expected.put(PipelineOptions.NAME, "say \"hi\" to C:\\new\\b");
    expected.put(CoreOptions.FLINK_JVM_OPTIONS, "-XX:+UseG1GC -Xss1m");

    expected.forEach(
        (option, value) -> assertThat(read(flink, option)).as(option.key()).isEqualTo(value));
    // No key is written that is not checked above.
    List<String> keys = new ArrayList<>();
    expected.keySet().forEach(option -> keys.add(option.key()));
    assertThat(flink.keySet()).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void theTaskManagerMemoryIsOneGibibyteWithATenthOfFlinkMemoryManaged() {
    Configuration flink = GlobalConfiguration.loadConfiguration(conf.toString());

    // Flink's own calculation, the one its scripts run before starting a TaskManager.
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(flink);

    assertThat(spec.getTotalProcessMemorySize()).isEqualTo(MemorySize.ofMebiBytes(1024));
    assertThat(spec.getTotalFlinkMemorySize()).isEqualTo(MemorySize.ofMebiBytes(576));
    assertThat(spec.getManagedMemorySize().getBytes()).isEqualTo(60397978L); // 0.1 * 576 MiB
    assertThat(spec.getNumSlots()).isEqualTo(1);
  }

  @Test
  void log4jConfigIsTheHarnessOwn() throws IOException {
    try (InputStream harness =
        StandaloneFlinkCluster.class.getResourceAsStream("cluster-log4j2.properties")) {
      assertThat(Files.readAllBytes(conf.resolve("log4j2.properties")))
          .isEqualTo(harness.readAllBytes());
    }
  }

  @Test
  void flinkClasspathHoldsFlinksRuntimeWebAndRocksDbJarsButNoTestDependencies() {
    List<String> entries =
        List.of(StandaloneFlinkCluster.flinkClasspath().split(File.pathSeparator));
    List<String> jars = new ArrayList<>();
    entries.forEach(e -> jars.add(Path.of(e).getFileName().toString()));

    assertThat(entries).allSatisfy(e -> assertThat(Path.of(e)).exists());
    assertThat(jars)
        .anySatisfy(j -> assertThat(j).matches("flink-runtime-[0-9.]+\\.jar"))
        .anySatisfy(j -> assertThat(j).matches("flink-runtime-web-[0-9.]+\\.jar"))
        .anySatisfy(j -> assertThat(j).matches("flink-clients-[0-9.]+\\.jar"))
        .anySatisfy(j -> assertThat(j).matches("flink-statebackend-rocksdb-[0-9.]+\\.jar"))
        .anySatisfy(j -> assertThat(j).matches("log4j-core-[0-9.]+\\.jar"))
        .noneSatisfy(j -> assertThat(j).startsWith("junit"))
        .noneSatisfy(j -> assertThat(j).startsWith("assertj"));
  }

  private static String valueOf(List<String> lines, String key) {
    return lines.stream()
        .filter(l -> l.startsWith(key + ": "))
        .map(l -> l.substring(key.length() + 2))
        .findFirst()
        .orElseThrow();
  }

  private static <T> T read(Configuration flink, ConfigOption<T> option) {
    return flink.get(option);
  }
}
