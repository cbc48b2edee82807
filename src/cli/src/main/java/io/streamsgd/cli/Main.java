package io.streamsgd.cli;

import picocli.CommandLine;

/** Entry point of the {@code streamsgd} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = new CommandLine(new StreamSgdCommand()).execute(args);
    System.exit(code);
  }
}
