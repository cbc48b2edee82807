package io.streamsgd.embedded;

import io.streamsgd.process.JvmProcess;
import io.streamsgd.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real single-node KRaft Kafka broker as its own JVM process (Kafka's {@code kafka.Kafka} main,
 * from the Maven jars), bound to 127.0.0.1, stopped by PID. For tests and users that want the
 * broker apart from everything else, as in production.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  /**
   * A second client listener named SECURE, next to the PLAINTEXT one the harness uses to set the
   * broker up: {@code protocol} is SSL, SASL_PLAINTEXT or SASL_SSL; {@code settings} are the
   * listener's own broker settings (sasl.enabled.mechanisms, ssl.keystore.*, the mechanism's
   * sasl.jaas.config, ...), written with the {@code listener.name.secure.} prefix.
   */
  public record SecureListener(String protocol, Map<String, String> settings) {}

  private final Path dir;
  private final int port;
  private final int securePort;
  private final JvmProcess process;

  private KafkaBrokerProcess(Path dir, int port, int securePort, JvmProcess process) {
    this.dir = dir;
    this.port = port;
    this.securePort = securePort;
    this.process = process;
  }

  /** Formats storage under {@code dir}, starts the broker and waits until it answers. */
  public static KafkaBrokerProcess start(
      Path directory, Map<String, String> overrides, Duration timeout)
      throws IOException, InterruptedException {
    return start(directory, overrides, timeout, null);
  }

  /**
   * As {@link #start(Path, Map, Duration)}, with a secured client listener when {@code secure} is
   * given.
   */
  public static KafkaBrokerProcess start(
      Path directory, Map<String, String> overrides, Duration timeout, SecureListener secure)
      throws IOException, InterruptedException {
    Path dir = directory.toAbsolutePath();
    Files.createDirectories(dir);
    int[] ports = Ports.free(3);
    int port = ports[0];
    int securePort = secure == null ? -1 : ports[2];
    Properties props = EmbeddedKafkaBroker.serverProperties(dir.resolve("log"), port, ports[1]);
    if (secure != null) {
      String endpoint = "SECURE://" + EmbeddedKafkaBroker.HOST + ":" + securePort;
      props.put("listeners", props.getProperty("listeners") + "," + endpoint);
      props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + endpoint);
      props.put(
          "listener.security.protocol.map",
          props.getProperty("listener.security.protocol.map") + ",SECURE:" + secure.protocol());
      secure.settings().forEach((k, v) -> props.put("listener.name.secure." + k, v));
    }
    props.putAll(overrides);
    Path config = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      props.store(out, "streamsgd broker process");
    }
    EmbeddedKafkaBroker.format(config);
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = out",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
            ""));
    JvmProcess p =
        JvmProcess.start(
            "kafka-broker",
            classpath(),
            List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4j.toUri()),
            "kafka.Kafka",
            List.of(config.toString()),
            dir.resolve("broker.log"));
    KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, port, securePort, p);
    try {
      broker.await(timeout);
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  private void await(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Kafka broker process exited; see " + process.log());
      }
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers(),
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  2000,
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  3000))) {
        admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        Thread.sleep(250);
      }
    }
    throw new IOException(
        "Kafka broker did not answer within " + timeout + "; see " + process.log());
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** {@code 127.0.0.1:port} of the SECURE listener. */
  public String secureBootstrapServers() {
    if (securePort < 0) {
      throw new IllegalStateException("this broker has no secure listener");
    }
    return EmbeddedKafkaBroker.HOST + ":" + securePort;
  }

  /** The broker's log file. */
  public Path log() {
    return process.log();
  }

  public long pid() {
    return process.pid();
  }

  public Path directory() {
    return dir;
  }

  /** The class path of a broker process: Kafka's jars and a log4j2 binding. */
  static String classpath() {
    try (InputStream in = KafkaBrokerProcess.class.getResourceAsStream("kafka-classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException(
            "kafka-classpath.txt missing: build the streamsgd-embedded module with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.stop(Duration.ofSeconds(20));
  }
}
