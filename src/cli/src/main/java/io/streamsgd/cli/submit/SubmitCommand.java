package io.streamsgd.cli.submit;

import io.streamsgd.cli.kafka.KafkaClientOptions;
import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.stack.JobJar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd submit}: what {@code flink run} does, over Flink's REST API. Uploads the shaded
 * job jar to a running cluster and starts the trainer with its options, after checking them here
 * (an unknown or invalid option fails before anything is uploaded).
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    header = "Submits the trainer job jar to a running Flink cluster over REST.",
    description =
        "Uploads the shaded job jar to a Flink session cluster and runs it with the given options; "
            + "job options (streamsgd.* keys, see the README) follow as --key value pairs after '--'. "
            + "Waits until the job is RUNNING and prints its id.")
public final class SubmitCommand implements Callable<Integer> {
  @Option(
      names = "--rest",
      required = true,
      paramLabel = "URL",
      description = "Flink REST endpoint, e.g. http://jobmanager:8081.")
  String rest;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description =
          "The shaded job jar (default: the one built with this command, or $" + JobJar.ENV + ").")
  Path jar;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers, as the cluster's TaskManagers reach them (streamsgd.kafka.bootstrap-servers).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties file for the job's clients (security.protocol, sasl.*, ssl.*, config.providers, ...); "
              + "each entry becomes a streamsgd.kafka.properties.* option, but a schema registry's settings under "
              + "Confluent's names, which become the streamsgd.registry.* options (schema.registry.url: "
              + "streamsgd.registry.url, basic.auth.user.info: streamsgd.registry.basic-auth.user-info, "
              + "schema.registry.ssl.*: streamsgd.registry.ssl.*).")
  Path kafkaConfig;

  @Option(
      names = "--job-config",
      paramLabel = "FILE",
      description = "Properties file of job options (streamsgd.* keys); arguments after '--' win.")
  Path jobConfig;

  @Option(names = "--parallelism", description = "Parallelism of the job (default: the cluster's).")
  Integer parallelism;

  @Option(
      names = "--from-savepoint",
      paramLabel = "PATH",
      description = "Start from this savepoint or retained checkpoint (an upgrade).")
  String savepoint;

  @Option(
      names = "--allow-non-restored-state",
      description = "Start even if the savepoint has state no operator of the job claims.")
  boolean allowNonRestoredState;

  @Option(
      names = "--await-cluster",
      defaultValue = "PT0S",
      description =
          "Wait up to this long for the cluster to answer and offer free slots (for scripts that start it; default: ${DEFAULT-VALUE}, no wait).")
  Duration awaitCluster;

  @Option(
      names = "--await-running",
      defaultValue = "PT2M",
      description =
          "How long to wait for the job to be RUNNING (default: ${DEFAULT-VALUE}); PT0S returns at once.")
  Duration awaitRunning;

  @Parameters(
      paramLabel = "JOB_OPTION",
      description = "Job options as --key value pairs, after '--'.")
  List<String> jobArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  JobArguments arguments() throws Exception {
    JobArguments args = new JobArguments();
    if (jobConfig != null) {
      args.putAll(KafkaClientOptions.read(jobConfig));
    }
    args.putKafkaProperties(KafkaClientOptions.read(kafkaConfig));
    if (bootstrapServers != null) {
      args.put(JobOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    }
    args.putArgs(jobArgs);
    return args;
  }

  /** The job's options exactly as the job will read them from its arguments. */
  public Configuration jobConfiguration() throws Exception {
    return jobConfiguration(arguments());
  }

  private static Configuration jobConfiguration(JobArguments args) throws Exception {
    return StreamSgdJob.configuration(args.toArgs().toArray(String[]::new));
  }

  Path jobJar() {
    return JobJar.locate(jar, "give --jar");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    JobArguments args = arguments();
    // The job's own parser and checks, here: a typo fails now, not in the JobManager's log.
    JobSettings.from(jobConfiguration(args));
    Path jarFile = jobJar();
    FlinkRestClient flink = new FlinkRestClient(rest);
    if (!awaitCluster.isZero()) {
      awaitSlots(flink, parallelism == null ? 1 : parallelism, out);
    }
    out.printf("uploading %s to %s%n", jarFile.getFileName(), flink.url());
    String jarId = flink.uploadJar(jarFile);
    out.printf("running with %s%n", args.masked());
    String jobId =
        flink.runJar(jarId, args.toArgs(), savepoint, allowNonRestoredState, parallelism);
    out.printf("job %s submitted%s%n", jobId, savepoint == null ? "" : " from " + savepoint);
    if (awaitRunning.isZero()) {
      return 0;
    }
    String state =
        flink.awaitState(jobId, Set.of("RUNNING", "FAILED", "CANCELED", "FINISHED"), awaitRunning);
    out.printf("job %s is %s%n", jobId, state);
    return "RUNNING".equals(state) ? 0 : 1;
  }

  /** Waits until the cluster answers and has {@code slots} free slots. */
  private void awaitSlots(FlinkRestClient flink, int slots, PrintWriter out) throws Exception {
    long deadline = System.nanoTime() + awaitCluster.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        int free = flink.overview().path("slots-available").asInt();
        if (free >= slots) {
          return;
        }
        last = free + " free slots";
      } catch (java.io.IOException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(1000);
    }
    throw new java.io.IOException(
        "the Flink cluster at "
            + rest
            + " has not offered "
            + slots
            + " free slots within "
            + awaitCluster
            + " ("
            + last
            + ")");
  }
}
