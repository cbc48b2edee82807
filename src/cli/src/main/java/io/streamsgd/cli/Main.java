package io.streamsgd.cli;

import io.streamsgd.stack.TrainerFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Entry point of the {@code streamsgd} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with its error handling: a wrong setting or an unreachable service is the
   * user's to fix, so it is one line naming the problem (exit 2 for settings, 1 for I/O); anything
   * else is a bug, and keeps its stack trace.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new StreamSgdCommand())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("streamsgd " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
              }
              if (e instanceof TrainerFailedException) {
                cmd.getErr().println("streamsgd " + cmd.getCommandName() + ": " + e.getMessage());
                return 1;
              }
              if (e instanceof IOException || e instanceof UncheckedIOException) {
                cmd.getErr()
                    .println(
                        "streamsgd "
                            + cmd.getCommandName()
                            + ": "
                            + (e.getMessage() != null ? e.getMessage() : e.toString()));
                return 1;
              }
              throw e;
            });
  }
}
