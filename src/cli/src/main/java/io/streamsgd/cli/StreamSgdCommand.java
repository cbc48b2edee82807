package io.streamsgd.cli;

import io.streamsgd.cli.bench.BenchCommand;
import io.streamsgd.cli.demo.DemoCommand;
import io.streamsgd.cli.demo.ProduceCommand;
import io.streamsgd.cli.experiment.ExperimentCommand;
import io.streamsgd.cli.run.RunCommand;
import io.streamsgd.cli.serve.ServeCommand;
import io.streamsgd.cli.submit.StopCommand;
import io.streamsgd.cli.submit.SubmitCommand;
import io.streamsgd.cli.topics.TopicsCommand;
import picocli.CommandLine.Command;

/** {@code streamsgd}: streaming online learning on Flink and Kafka. */
@Command(
    name = "streamsgd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Streaming online learning: dynamic-minibatch SGD on Apache Flink, models on Apache Kafka.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ServeCommand.class,
      TopicsCommand.class,
      SubmitCommand.class,
      StopCommand.class,
      ProduceCommand.class,
      BenchCommand.class,
      ExperimentCommand.class
    })
public final class StreamSgdCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
