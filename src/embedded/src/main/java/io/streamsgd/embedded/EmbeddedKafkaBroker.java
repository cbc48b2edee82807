package io.streamsgd.embedded;

import io.streamsgd.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), started in
 * this JVM from the Kafka jars and bound to 127.0.0.1 only. Not a mock: clients talk to it over TCP
 * exactly as to a production cluster.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  static final String HOST = "127.0.0.1";

  private final Path dataDir;
  private final boolean deleteDataOnClose;
  private final int port;
  private final KafkaRaftServer server;

  private EmbeddedKafkaBroker(
      Path dataDir, boolean deleteDataOnClose, Map<String, String> overrides) throws IOException {
    this.dataDir = dataDir;
    this.deleteDataOnClose = deleteDataOnClose;
    int[] ports = Ports.free(2);
    this.port = ports[0];
    Properties props = serverProperties(dataDir.resolve("log"), port, ports[1]);
    props.putAll(overrides);
    Path configFile = dataDir.resolve("server.properties");
    try (var out = Files.newOutputStream(configFile)) {
      props.store(out, "streamsgd embedded broker");
    }
    format(configFile);
    this.server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
  }

  /**
   * Starts a broker with its data in a new directory under {@code parent}, deleted again on {@link
   * #close()}, and waits until it answers requests.
   */
  public static EmbeddedKafkaBroker start(Path parent) throws IOException {
    return start(parent, Map.of());
  }

  /** As {@link #start(Path)}, with extra broker properties (they win over the defaults). */
  public static EmbeddedKafkaBroker start(Path parent, Map<String, String> overrides)
      throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "kafka-");
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, true, overrides);
    broker.startAndAwait(Duration.ofSeconds(60));
    return broker;
  }

  static Properties serverProperties(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    // A single node: every internal topic has one replica and accepts writes with it alone.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    // Replays and tests use fixed, possibly old, event times as record timestamps: keep everything.
    p.put("log.retention.ms", "-1");
    // Tests and the demo make small topics; keep segment files small so compaction can run.
    p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  static void format(Path configFile) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String clusterId = Uuid.randomUuid().toString();
    int rc;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, out);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "kafka storage format failed (" + rc + "): " + captured.toString(StandardCharsets.UTF_8));
    }
  }

  private void startAndAwait(Duration timeout) {
    long started = System.nanoTime();
    server.startup();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("embedded Kafka broker did not come up within " + timeout, e);
    }
    LOG.info(
        "Kafka broker up at {} in {} ms",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** Client properties that reach this broker. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> m = new HashMap<>();
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return m;
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker shutdown reported an error", e);
    }
    if (deleteDataOnClose) {
      deleteRecursively(dataDir);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
