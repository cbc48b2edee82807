package io.streamsgd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmProcessTest {
  private static final String MAIN = ChildJvm.class.getName();

  /** Small children start faster on a machine with few cores. */
  private static final List<String> SMALL = List.of("-Xmx48m", "-XX:TieredStopAtLevel=1");

  /** Linux reports a process ended by a signal with exit code 128 + the signal's number. */
  private static final int SIGTERM_EXIT = 128 + 15;

  private static final int SIGKILL_EXIT = 128 + 9;

  @TempDir Path dir;

  @Test
  void passesJvmOptionsClassPathMainClassAndArgumentsToTheChild() throws Exception {
    List<String> jvmArgs = List.of("-Dstreamsgd.child=yes", "-Xmx48m");
    Path log = dir.resolve("report.log");
    try (JvmProcess p =
        JvmProcess.start(
            "reporter", testClasses(), jvmArgs, MAIN, List.of("report", "a b", "", "c"), log)) {
      awaitExit(p);

      assertThat(p.name()).isEqualTo("reporter");
      assertThat(p.log()).isEqualTo(log);
      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(0));
      Map<String, String> report = report(log);
      // Each argument arrives as one, spaces and empty ones included.
      assertThat(report.get("args")).isEqualTo("[a b, , c]");
      // The launcher puts options from JDK_JAVA_OPTIONS, if set, before these.
      assertThat(report.get("jvm.options")).endsWith("-Dstreamsgd.child=yes, -Xmx48m]");
      assertThat(report.get("class.path")).isEqualTo(testClasses());
      assertThat(report.get("java.home")).isEqualTo(System.getProperty("java.home"));
      assertThat(report.get("pid")).isEqualTo(String.valueOf(p.pid()));
    }
  }

  @Test
  void writesStdoutAndStderrToTheLogAppendingAcrossStartsAndCreatingItsDirectory()
      throws Exception {
    Path log = dir.resolve("nested").resolve("logs").resolve("child.log");
    for (String run : List.of("first", "second")) {
      try (JvmProcess p =
          JvmProcess.start("streams", testClasses(), SMALL, MAIN, List.of("streams", run), log)) {
        awaitExit(p);
        assertThat(p.exitCode()).isEqualTo(OptionalInt.of(0));
      }
    }

    assertThat(Files.readAllLines(log))
        .containsExactly("stdout first", "stderr first", "stdout second", "stderr second");
  }

  @Test
  void reportsNoExitCodeWhileRunningAndTheChildsOwnCodeOnceItEnded() throws Exception {
    Path log = dir.resolve("wait.log");
    try (JvmProcess running =
            JvmProcess.start("waits", testClasses(), SMALL, MAIN, List.of("wait"), log);
        JvmProcess ending =
            JvmProcess.start(
                "exits", testClasses(), SMALL, MAIN, List.of("exit", "3"), dir.resolve("e.log"))) {
      awaitLine(log, "ready");
      awaitExit(ending);

      assertThat(running.isAlive()).isTrue();
      assertThat(running.exitCode()).isEmpty();
      assertThat(ending.isAlive()).isFalse();
      assertThat(ending.exitCode()).isEqualTo(OptionalInt.of(3));
    }
  }

  @Test
  void stopEndsTheChildWithSigtermSoItsShutdownHooksRun() throws Exception {
    Path log = dir.resolve("stop.log");
    try (JvmProcess p =
        JvmProcess.start("gentle", testClasses(), SMALL, MAIN, List.of("wait"), log)) {
      awaitLine(log, "ready");

      p.stop(Duration.ofSeconds(20));

      assertThat(p.isAlive()).isFalse();
      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(SIGTERM_EXIT));
      assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(Files.readAllLines(log)).containsExactly("ready", "shutdown hook ran");
    }
  }

  @Test
  void stopKillsAChildThatIsStillRunningAfterTheGracePeriod() throws Exception {
    Path log = dir.resolve("stubborn.log");
    try (JvmProcess p =
        JvmProcess.start("stubborn", testClasses(), SMALL, MAIN, List.of("ignore-sigterm"), log)) {
      awaitLine(log, "ready");

      p.stop(Duration.ofMillis(300));

      assertThat(p.isAlive()).isFalse();
      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(SIGKILL_EXIT));
      assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void killEndsTheChildWithSigkillWithoutRunningItsShutdownHooks() throws Exception {
    Path log = dir.resolve("kill.log");
    try (JvmProcess p =
        JvmProcess.start("killed", testClasses(), SMALL, MAIN, List.of("wait"), log)) {
      awaitLine(log, "ready");

      p.kill();

      assertThat(p.isAlive()).isFalse();
      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(SIGKILL_EXIT));
      assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(Files.readAllLines(log)).containsExactly("ready");
    }
  }

  @Test
  void stopAndCloseLeaveAnEndedChildAndItsExitCodeAlone() throws Exception {
    JvmProcess p =
        JvmProcess.start(
            "ended", testClasses(), SMALL, MAIN, List.of("exit", "0"), dir.resolve("ended.log"));
    awaitExit(p);

    p.stop(Duration.ofSeconds(1));
    p.close();

    assertThat(p.exitCode()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void aMissingMainClassEndsTheChildWithExitCode1AndTheReasonInItsLog() throws Exception {
    Path log = dir.resolve("missing.log");
    try (JvmProcess p =
        JvmProcess.start(
            "missing", testClasses(), SMALL, "io.streamsgd.process.NoSuchMain", List.of(), log)) {
      awaitExit(p);

      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(1));
      assertThat(Files.readAllLines(log))
          .contains("Error: Could not find or load main class io.streamsgd.process.NoSuchMain");
    }
  }

  @Test
  void anUnknownJvmOptionEndsTheChildWithExitCode1AndTheReasonInItsLog() throws Exception {
    Path log = dir.resolve("bad-option.log");
    try (JvmProcess p =
        JvmProcess.start(
            "bad-option",
            testClasses(),
            List.of("-XX:+NoSuchOption"),
            MAIN,
            List.of("exit", "0"),
            log)) {
      awaitExit(p);

      assertThat(p.exitCode()).isEqualTo(OptionalInt.of(1));
      assertThat(Files.readAllLines(log))
          .contains(
              "Unrecognized VM option 'NoSuchOption'",
              "Error: Could not create the Java Virtual Machine.");
    }
  }

  @Test
  void aLogThatCannotBeCreatedFailsTheStartBeforeAnyChildRuns() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "");

    assertThatThrownBy(
            () ->
                JvmProcess.start(
                    "nowhere",
                    testClasses(),
                    SMALL,
                    MAIN,
                    List.of("wait"),
                    notADirectory.resolve("child.log")))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(notADirectory.toString());
  }

  @Test
  void java17OpensAreAcceptedWithoutWarningsAndOpenJavaLangToReflection() throws Exception {
    List<String> opened = new ArrayList<>(SMALL);
    opened.addAll(JvmProcess.JAVA17_OPENS);
    Path openLog = dir.resolve("open.log");
    Path closedLog = dir.resolve("closed.log");
    try (JvmProcess open =
            JvmProcess.start(
                "open", testClasses(), opened, MAIN, List.of("open-java-lang"), openLog);
        JvmProcess closed =
            JvmProcess.start(
                "closed", testClasses(), SMALL, MAIN, List.of("open-java-lang"), closedLog)) {
      awaitExit(open);
      awaitExit(closed);

      // The JVM only warns about an unknown module or package in these options, so a typo
      // would show up as a WARNING line here.
      assertThat(Files.readAllLines(openLog)).containsExactly("java.lang is open");
      assertThat(open.exitCode()).isEqualTo(OptionalInt.of(0));
      // Without them the same reflection is denied: the check above can fail.
      assertThat(Files.readAllLines(closedLog)).containsExactly("java.lang is closed");
      assertThat(closed.exitCode()).isEqualTo(OptionalInt.of(2));
    }
  }

  private static String testClasses() throws URISyntaxException {
    return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static Map<String, String> report(Path log) throws IOException {
    Map<String, String> report = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      int eq = line.indexOf('=');
      report.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return report;
  }

  private static void awaitExit(JvmProcess p) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (p.isAlive()) {
      assertThat(System.nanoTime()).as("%s still running", p.name()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(log) || !Files.readAllLines(log).contains(line)) {
      assertThat(System.nanoTime()).as("no line '%s' in %s", line, log).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
