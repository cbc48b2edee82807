package io.streamsgd.registry;

import io.streamsgd.process.JvmProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry as its own JVM process: Apicurio Registry (built by the {@code
 * streamsgd-registry-app} module), bound to 127.0.0.1, serving the Confluent-compatible REST API
 * under {@link #confluentUrl()}. Schemas live in the process's in-memory H2 database: they are gone
 * once it stops. Stopped by PID ({@link #close}, {@link #kill}), and killed with the JVM that
 * started it.
 */
public final class SchemaRegistryProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryProcess.class);

  /** Where the Confluent-compatible API is served, below the registry's root. */
  public static final String CONFLUENT_PATH = "/apis/ccompat/v7";

  /** How many of the log's last lines a failed start reports. */
  static final int LOG_LINES_ON_FAILURE = 40;

  private static final String HOST = "127.0.0.1";
  private static final Pattern LISTENING =
      Pattern.compile("Listening on: http://" + Pattern.quote(HOST) + ":(\\d+)");

  private final Path dir;
  private final JvmProcess process;
  private final int port;
  private final Map<String, String> properties;

  private SchemaRegistryProcess(
      Path dir, JvmProcess process, int port, Map<String, String> properties) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.properties = Map.copyOf(properties);
  }

  /**
   * Settings that keep the schemas in an H2 file under {@code directory} instead of in memory,
   * written at once (no write delay): a registry started again with them in the same directory,
   * even after a SIGKILL, serves every schema it had acknowledged, under the same ids.
   */
  public static Map<String, String> fileStorage(Path directory) {
    Path db = directory.toAbsolutePath().resolve("h2").resolve("registry");
    return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + db + ";WRITE_DELAY=0");
  }

  /** Starts a registry on a free port and waits until its Confluent API answers. */
  public static SchemaRegistryProcess start(Path directory, Duration timeout)
      throws IOException, InterruptedException {
    return start(directory, 0, Map.of(), timeout);
  }

  /**
   * Starts a registry and waits until its Confluent API answers.
   *
   * @param directory its working files: the log ({@code registry.log}) and temporary files
   * @param port the HTTP port, or 0 for one the operating system picks (read from the log); a fixed
   *     port lets a test stop a registry and start another at the same address
   * @param properties more settings of the registry, as {@code -Dkey=value} (Quarkus and Apicurio
   *     names, e.g. {@code registry.ccompat.legacy-id-mode.enabled})
   * @throws IOException when it exits or does not answer within {@code timeout}: the message holds
   *     the last lines of its log, and the process is stopped
   */
  public static SchemaRegistryProcess start(
      Path directory, int port, Map<String, String> properties, Duration timeout)
      throws IOException, InterruptedException {
    Path dir = directory.toAbsolutePath();
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    Path runner = runnerJar();
    Path log = dir.resolve("registry.log");
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    List<String> jvmArgs = new ArrayList<>();
    // Small and quick to start: about 170 MB resident; C1 only, since a test registry serves
    // a few hundred requests at most.
    jvmArgs.add("-Xmx128m");
    jvmArgs.add("-XX:+UseSerialGC");
    jvmArgs.add("-XX:TieredStopAtLevel=1");
    jvmArgs.add("-Djava.io.tmpdir=" + tmp);
    jvmArgs.add("-Dquarkus.http.host=" + HOST);
    jvmArgs.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> jvmArgs.add("-D" + k + "=" + v));
    JvmProcess p =
        JvmProcess.start(
            "schema-registry", runner.toString(), jvmArgs, mainClass(runner), List.of(), log);
    long started = System.nanoTime();
    try {
      int bound = awaitPort(p, logStart, timeout);
      SchemaRegistryProcess registry = new SchemaRegistryProcess(dir, p, bound, properties);
      registry.awaitApi(logStart, timeout);
      LOG.info(
          "Schema registry (pid {}) answers at {} after {} ms",
          p.pid(),
          registry.confluentUrl(),
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      return registry;
    } catch (IOException | RuntimeException | InterruptedException e) {
      p.stop(Duration.ofSeconds(5));
      throw e;
    }
  }

  /** The port from the log's "Listening on" line, written once the HTTP server is bound. */
  private static int awaitPort(JvmProcess p, long logStart, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = LISTENING.matcher(readFrom(p.log(), logStart));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!p.isAlive()) {
        throw failure(p, logStart, "exited with code " + p.exitCode().orElse(-1) + " on start");
      }
      if (System.nanoTime() > deadline) {
        throw failure(p, logStart, "did not listen within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  /** Polls {@code GET /subjects} until it answers 200. */
  private void awaitApi(long logStart, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    String last = "no answer";
    while (true) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      if (!process.isAlive()) {
        throw failure(process, logStart, "exited with code " + process.exitCode().orElse(-1));
      }
      if (System.nanoTime() > deadline) {
        throw failure(process, logStart, "did not answer within " + timeout + " (" + last + ")");
      }
      Thread.sleep(100);
    }
  }

  private static IOException failure(JvmProcess p, long logStart, String what) throws IOException {
    return new IOException(
        "Schema registry (pid "
            + p.pid()
            + ") "
            + what
            + "; last lines of "
            + p.log()
            + ":\n"
            + String.join("\n", lastLines(readFrom(p.log(), logStart), LOG_LINES_ON_FAILURE)));
  }

  /** The log as written since {@code offset}: this start's lines only, in a reused directory. */
  static String readFrom(Path log, long offset) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= offset) {
        return "";
      }
      byte[] bytes = new byte[Math.toIntExact(length - offset)];
      file.seek(offset);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static List<String> lastLines(String text, int count) {
    Deque<String> lines = new ArrayDeque<>();
    for (String line : text.split("\\R")) {
      lines.addLast(line);
      if (lines.size() > count) {
        lines.removeFirst();
      }
    }
    return List.copyOf(lines);
  }

  /**
   * The runner jar built by {@code streamsgd-registry-app}: the {@code streamsgd.registry.runner}
   * system property if set, else the one this module was built with.
   */
  static Path runnerJar() {
    String configured = System.getProperty("streamsgd.registry.runner");
    if (configured == null) {
      Properties props = new Properties();
      try (InputStream in =
          SchemaRegistryProcess.class.getResourceAsStream("registry-app.properties")) {
        if (in == null) {
          throw new IllegalStateException(
              "registry-app.properties missing: build the streamsgd-registry module with Maven");
        }
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      configured = props.getProperty("runner.jar");
    }
    Path runner = Path.of(configured);
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException(
          "No registry runner jar at "
              + runner
              + ": build the streamsgd-registry-app module (mvn package -pl src/registry-app)");
    }
    return runner;
  }

  /** The runner jar's Main-Class; its manifest's Class-Path names the jars in lib/. */
  private static String mainClass(Path runner) throws IOException {
    try (JarFile jar = new JarFile(runner.toFile())) {
      String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
      if (main == null) {
        throw new IOException(runner + " names no Main-Class");
      }
      return main;
    }
  }

  /** The base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:PORT/apis/...}. */
  public String confluentUrl() {
    return baseUrl() + CONFLUENT_PATH;
  }

  /** The registry's root URL, {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://" + HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The registry's log file. */
  public Path log() {
    return process.log();
  }

  public Path directory() {
    return dir;
  }

  /**
   * Stops this registry if it still runs and starts another in the same directory, on the same port
   * and with the same settings: with {@link #fileStorage}, the same registry after an outage.
   */
  public SchemaRegistryProcess restart(Duration timeout) throws IOException, InterruptedException {
    close();
    return start(dir, port, properties, timeout);
  }

  /** SIGKILL, as a crash would: for outage tests. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  @Override
  public void close() throws InterruptedException {
    process.stop(Duration.ofSeconds(10));
  }
}
