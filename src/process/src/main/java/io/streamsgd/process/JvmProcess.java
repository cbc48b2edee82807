package io.streamsgd.process;

import java.io.IOException;
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

  /** Flink's usual opens and exports for Java 17, as a distribution's scripts pass them. */
  public static final List<String> JAVA17_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.management/sun.management=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

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
    Files.createDirectories(log.getParent());
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
