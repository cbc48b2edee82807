package io.streamsgd.cli.bench;

import picocli.CommandLine.Command;

/** {@code streamsgd bench}: measurements, never part of the test run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each writes JSON.",
    subcommands = {KernelBenchCommand.class, io.streamsgd.cli.bench.PipelineBenchCommand.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
