package io.streamsgd.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Helpers of the CLI's integration tests: commands run as a user runs them, and work folders. */
public final class CliRun {
  private CliRun() {}

  /**
   * Runs a {@code streamsgd} command in this JVM, as the launcher does; fails on a non-zero exit.
   * Returns what it printed, which also goes to this test's output for a post-mortem.
   */
  public static String streamsgd(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    System.out.print(out);
    assertThat(code).as("streamsgd %s\n%s%s", String.join(" ", args), out, err).isZero();
    return out + err.toString();
  }

  /**
   * An empty folder under target/ (not a temporary one: the processes' logs stay there for a
   * post-mortem), emptied first if an earlier run left it.
   */
  public static Path workDir(String name) throws IOException {
    Path dir = Path.of("target", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }
}
