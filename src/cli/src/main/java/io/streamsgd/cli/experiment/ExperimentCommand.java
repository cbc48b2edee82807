package io.streamsgd.cli.experiment;

import io.streamsgd.bench.experiment.BatchPolicyExperiment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamsgd experiment batch-policies}: the dynamic-minibatch experiment written up in
 * docs/.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    header = "Experiments that write charts and result tables.",
    description =
        "batch-policies: fixed small, fixed large and adaptive batches on a stream whose noise "
            + "rises tenfold halfway; writes loss and batch-size charts (PNG) and prints the result "
            + "table.")
public final class ExperimentCommand implements Callable<Integer> {
  @picocli.CommandLine.Parameters(index = "0", description = "Which experiment: batch-policies.")
  String name;

  @Option(
      names = "--out",
      defaultValue = "docs",
      description = "Directory for the charts (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!name.equals("batch-policies")) {
      System.err.println("unknown experiment '" + name + "'; known: batch-policies");
      return 2;
    }
    List<String> table = BatchPolicyExperiment.run(out);
    table.forEach(System.out::println);
    System.out.println("Charts written to " + out.toAbsolutePath());
    return 0;
  }
}
