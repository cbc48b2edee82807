package io.streamsgd.cli.submit;

import io.streamsgd.cluster.FlinkRestClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsgd stop}: stops the trainer with a savepoint, the first half of an upgrade. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    header = "Stops a job with a savepoint and prints the savepoint's path.",
    description =
        "Stops the job gracefully: a final savepoint is taken (and, in exactly-once mode, its model updates "
            + "committed), then the job ends. Start the new version with submit --from-savepoint PATH.")
public final class StopCommand implements Callable<Integer> {
  @Option(
      names = "--rest",
      required = true,
      paramLabel = "URL",
      description = "Flink REST endpoint, e.g. http://jobmanager:8081.")
  String rest;

  @Option(
      names = "--savepoint-dir",
      paramLabel = "URI",
      description =
          "Where to write the savepoint (default: the cluster's execution.checkpointing.savepoint-dir).")
  String savepointDir;

  @Option(names = "--timeout", defaultValue = "PT5M", description = "(default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Parameters(paramLabel = "JOB_ID", description = "The job to stop.")
  String jobId;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    FlinkRestClient flink = new FlinkRestClient(rest);
    String path = flink.stopWithSavepoint(jobId, savepointDir, timeout);
    // the savepoint completes a moment before the job reaches its end: return once it has
    String state = flink.awaitState(jobId, Set.of("FINISHED", "CANCELED", "FAILED"), timeout);
    out.println(path);
    return "FINISHED".equals(state) ? 0 : 1;
  }
}
