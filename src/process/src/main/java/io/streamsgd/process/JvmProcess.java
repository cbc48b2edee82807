package io.streamsgd.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM started from a class path of Maven jars, with its output in a log file. Stopped by
 * PID: gently ({@link #stop}) or like a crash ({@link #kill}, SIGKILL).
 */
public final class JvmProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JvmProcess.class);

  /** Children still running when this JVM exits are killed with it, never left behind. */
  private static final java.util.Set<Process> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-child-jvms"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
  }

  /**
   * Flink's usual opens and exports for Java 17, as a distribution's scripts pass them: the parent
   * pom's list ({@code flink.jvm.opens}), the one every JVM that runs Flink gets.
   */
  public static final List<String> JAVA17_OPENS = readOpens();

  private static List<String> readOpens() {
    try (InputStream in = JvmProcess.class.getResourceAsStream("java17-opens.txt")) {
      if (in == null) {
        throw new IllegalStateException("java17-opens.txt missing from the class path");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return List.of(text.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JvmProcess start(
      String name,
      String classpath,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Path logDir = log.toAbsolutePath().getParent();
    Files.createDirectories(logDir);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    LOG.info("Started {} (pid {}), log {}", name, p.pid(), log);
    return new JvmProcess(name, p, log);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended, empty while it runs. */
  public java.util.OptionalInt exitCode() {
    return process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
  }

  /** SIGKILL, as a machine failure would: no shutdown hooks, no clean-up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    LOG.info("Killed {} (pid {})", name, pid());
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
  public void stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(10));
  }
}
