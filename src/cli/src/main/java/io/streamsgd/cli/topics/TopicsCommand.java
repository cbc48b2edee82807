package io.streamsgd.cli.topics;

import picocli.CommandLine.Command;

/** {@code streamsgd topics}: the Kafka topics streamsgd needs. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    header = "Creates and checks the Kafka topics streamsgd needs.",
    subcommands = {TopicsCreateCommand.class})
public final class TopicsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
