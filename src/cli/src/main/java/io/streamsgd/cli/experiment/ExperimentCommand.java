package io.streamsgd.cli.experiment;

import io.streamsgd.bench.experiment.BatchPolicyExperiment;
import io.streamsgd.bench.experiment.DriftExperiment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamsgd experiment batch-policies} and {@code streamsgd experiment drift}: the
 * dynamic-minibatch and concept-drift experiments written up in docs/.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    header = "Experiments that write charts and result tables.",
    description =
        "batch-policies: fixed small, fixed large and adaptive batches on a stream whose noise "
            + "rises tenfold halfway; writes loss and batch-size charts (PNG) and prints the result "
            + "table. drift: no detection against each drift detector and reaction, on synthetic "
            + "streams with a known change and on the flights file, replayed with the trainer's "
            + "code; writes loss charts (PNG) and prints the tables.")
public final class ExperimentCommand implements Callable<Integer> {
  @picocli.CommandLine.Parameters(
      index = "0",
      description = "Which experiment: batch-policies or drift.")
  String name;

  @Option(
      names = "--out",
      defaultValue = "docs",
      description = "Directory for the charts (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--flights",
      description =
          "drift: the time-ordered flights file (Vowpal Wabbit text; default: the committed one,"
              + " from the repository's root).")
  Path flights;

  @Override
  public Integer call() throws Exception {
    List<String> table;
    switch (name) {
      case "batch-policies" -> table = BatchPolicyExperiment.run(out);
      case "drift" -> {
        Path file = flights != null ? flights : DriftExperiment.FLIGHTS;
        if (!java.nio.file.Files.isRegularFile(file)) {
          System.err.println(
              "no flights file at "
                  + file.toAbsolutePath()
                  + ": run from the repository's root"
                  + " or give --flights FILE");
          return 2;
        }
        table = DriftExperiment.run(out, file);
      }
      default -> {
        System.err.println("unknown experiment '" + name + "'; known: batch-policies, drift");
        return 2;
      }
    }
    table.forEach(System.out::println);
    System.out.println("Charts written to " + out.toAbsolutePath());
    return 0;
  }
}
