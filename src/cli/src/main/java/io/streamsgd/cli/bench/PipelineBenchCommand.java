package io.streamsgd.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamsgd.bench.pipeline.BenchReport;
import io.streamsgd.bench.pipeline.PipelineBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamsgd bench pipeline}: the whole system's speed, side by side in one run. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    header = "End to end: ceilings, trainer throughput, latency, checkpoints, and Vowpal Wabbit.",
    description =
        "Starts a Kafka broker process and a Flink cluster (JobManager and TaskManager processes), or uses yours "
            + "(--bootstrap-servers with --flink-rest), pre-loads "
            + "the input topics, then measures in one run: the ceilings (a plain consumer; the trainer's source and "
            + "decoder alone), the trainer end to end (samples to committed model updates) for 1, 1,000 and many "
            + "models, sample-to-model latency at half the maximum rate, state size and checkpoint time for many "
            + "models on both state backends, a CPU profile of the TaskManager, Vowpal Wabbit on the same samples, "
            + "and a hashed model of 2^20 weights trained per sample against batches of 64 and Vowpal Wabbit. "
            + "Writes JSON, a chart and the "
            + "Markdown table the README shows.")
public final class PipelineBenchCommand implements Callable<Integer> {
  static final List<String> SECTIONS =
      List.of("ceilings", "throughput", "scale", "latency", "profile", "peer", "hashed");

  @Option(
      names = "--records",
      defaultValue = "2000000",
      description = "Samples per input topic (default: ${DEFAULT-VALUE}).")
  long records;

  @Option(
      names = "--many-models",
      defaultValue = "100000",
      description = "Model count of the scale runs (default: ${DEFAULT-VALUE}).")
  int manyModels;

  @Option(
      names = "--many-model-records",
      defaultValue = "1000000",
      description = "Samples of the scale runs (default: ${DEFAULT-VALUE}).")
  long manyModelRecords;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of every input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--latency-seconds",
      defaultValue = "20",
      description = "How long each latency run produces (default: ${DEFAULT-VALUE}).")
  double latencySeconds;

  @Option(
      names = "--latency-rate",
      split = ",",
      description =
          "Samples/s of the latency runs, one or more (default: a sixth and half of "
              + "the measured exactly-once maximum, or 10,000 when the throughput section does not run).")
  List<Double> latencyRate;

  @Option(
      names = "--vw-examples",
      defaultValue = "500000",
      description = "Examples of the Vowpal Wabbit pass (default: ${DEFAULT-VALUE}).")
  int vwExamples;

  @Option(
      names = "--sections",
      split = ",",
      description =
          "Which parts to run (default: all of "
              + "ceilings,throughput,scale,latency,profile,peer,hashed).")
  List<String> sections = SECTIONS;

  @Option(
      names = "--quick",
      description =
          "Smaller inputs (a few minutes): --records 500000 --many-models 20000 --many-model-records 400000 --latency-seconds 10.")
  boolean quick;

  @Option(
      names = "--out",
      defaultValue = "bench-pipeline",
      description =
          "Directory for pipeline.json, pipeline.png and pipeline.md (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--work-dir",
      description =
          "Where the broker and cluster keep their data and logs, kept after the run (default: a"
              + " new temporary directory, deleted after the run).")
  Path workDir;

  @Option(
      names = "--bootstrap-servers",
      description = "Run on this Kafka cluster instead of starting a broker (needs --flink-rest).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*) for the bench's clients and its jobs.")
  Path kafkaConfig;

  @Option(
      names = "--flink-rest",
      paramLabel = "URL",
      description = "Run on this Flink cluster (its REST address) instead of starting one.")
  String flinkRest;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Job parallelism on an existing Flink cluster (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--jar",
      description =
          "The bench's job jar: the shaded job jar plus the decode-ceiling job (default: the one"
              + " built with this command).")
  Path jar;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    if (quick) {
      records = 500_000;
      manyModels = 20_000;
      manyModelRecords = 400_000;
      latencySeconds = 10;
      vwExamples = 200_000;
    }
    Set<String> chosen = new LinkedHashSet<>(sections);
    if (!SECTIONS.containsAll(chosen)) {
      throw new IllegalArgumentException("--sections takes " + String.join(",", SECTIONS));
    }
    Path jobJar = jar != null ? jar : Path.of(System.getProperty("streamsgd.bench.jar", "missing"));
    if (!Files.isRegularFile(jobJar)) {
      throw new IllegalArgumentException("job jar not found at " + jobJar + ": give --jar");
    }
    if ((bootstrapServers == null) != (flinkRest == null)) {
      throw new IllegalArgumentException(
          "--bootstrap-servers and --flink-rest go together: both name an existing stack");
    }
    PipelineBench.External external =
        bootstrapServers == null
            ? null
            : new PipelineBench.External(
                bootstrapServers,
                io.streamsgd.cli.kafka.KafkaClientOptions.read(kafkaConfig),
                flinkRest,
                parallelism);
    Path dir =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("streamsgd-bench-");
    PipelineBench.Settings settings =
        new PipelineBench.Settings(
            records,
            manyModelRecords,
            manyModels,
            partitions,
            latencySeconds,
            latencyRate,
            vwExamples,
            dir,
            jobJar,
            chosen,
            external);
    Map<String, Object> report;
    try {
      report = new PipelineBench(settings, console).run();
    } finally {
      if (workDir == null) {
        // The broker's logs of every workload and the cluster's checkpoints: gigabytes per run.
        org.apache.flink.util.FileUtils.deleteDirectoryQuietly(dir.toFile());
      }
    }
    Files.createDirectories(out);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("pipeline.json").toFile(), report);
    BenchReport.chart(report, out.resolve("pipeline.png"));
    if (BenchReport.latencyChart(report, out.resolve("pipeline-latency.png"))) {
      console.printf("Latency by second: %s%n", out.resolve("pipeline-latency.png"));
    }
    if (BenchReport.hashedChart(report, out.resolve("pipeline-hashed.png"))) {
      console.printf("Hashed model: %s%n", out.resolve("pipeline-hashed.png"));
    }
    String table = BenchReport.markdown(report);
    Files.writeString(out.resolve("pipeline.md"), table);
    console.printf(
        "%n%s%nWritten: %s, %s, %s%n",
        table,
        out.resolve("pipeline.json"),
        out.resolve("pipeline.png"),
        out.resolve("pipeline.md"));
    return 0;
  }
}
