package io.streamsgd.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.cli.embedded.StateBackendOption;
import io.streamsgd.cli.progress.TrainingProgress;
import io.streamsgd.cli.report.ReportFiles;
import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.input.format.InputFormat;
import io.streamsgd.input.format.SampleFileReader;
import io.streamsgd.input.produce.FileProducer;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.SinkFraming;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PrequentialMetrics;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.RegistryConfig;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.serving.RegistryProperties;
import io.streamsgd.stack.EmbeddedStack;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd run}: streams a file once through the real pipeline on the embedded stack (Kafka
 * broker, trainer on a Flink MiniCluster) and reports how each model did, prequentially: every
 * sample is scored before it is trained on, so the metrics are an honest estimate of how the model
 * would have done on the stream.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Trains on your file (csv, libsvm, vw, idx) through the real pipeline.",
    description =
        "Streams a file (csv, libsvm, vw, idx) through the real pipeline on an embedded Kafka "
            + "broker and Flink MiniCluster, then reports prequential metrics, final parameters and "
            + "throughput.")
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "The examples (.gz is read too).")
  Path input;

  @Option(names = "--labels", description = "IDX labels file (idx1-ubyte), for --format idx.")
  Path labels;

  @Option(names = "--format", description = "csv, libsvm, vw or idx (default: from the file name).")
  String format;

  @Option(
      names = "--model-id",
      defaultValue = "model",
      description = "Model id of every example (default: ${DEFAULT-VALUE}).")
  String modelId;

  @Option(
      names = "--model-id-column",
      description =
          "CSV column holding each example's model id; for LIBSVM, the key of key=id in each"
              + " line's comment.")
  String modelIdColumn;

  @Option(
      names = "--time-column",
      description =
          "CSV column holding each example's event time (ISO-8601 date or date-time, UTC without"
              + " an offset, or epoch seconds or milliseconds); for LIBSVM, the key of key=time in"
              + " each line's comment. Default: the time each example is read.")
  String timeColumn;

  @Option(
      names = "--ignore-columns",
      split = ",",
      description = "CSV columns that are neither label nor features.")
  List<String> ignoreColumns = List.of();

  @Option(
      names = "--categorical-columns",
      split = ",",
      description =
          "CSV columns read as categories (column=value, hashed) even where their values are"
              + " numbers. Other columns are numeric when most of their first 1,000 values are"
              + " numbers, categorical otherwise.")
  List<String> categoricalColumns = List.of();

  @Option(
      names = "--label-column",
      defaultValue = "label",
      description = "CSV column holding the label (default: ${DEFAULT-VALUE}).")
  String labelColumn;

  @Option(
      names = "--zero-based",
      description = "LIBSVM indices start at 0 (default: 1, as LIBSVM writes them).")
  boolean zeroBased;

  @Option(
      names = "--tag-is-model-id",
      description = "Vowpal Wabbit input: the 'tag routes each example to the model of that id.")
  boolean tagIsModelId;

  @Mixin SpecOptions spec;

  @Option(
      names = "--limit",
      defaultValue = "9223372036854775807",
      description = "Read at most this many examples.")
  long limit;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Flink subtasks (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--report", description = "Write the result as JSON to this file.")
  Path report;

  @Mixin StateBackendOption stateBackend;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT2S",
      description =
          "How often the trainer checkpoints its state, to files under the work directory"
              + " (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--keep-work-dir",
      description =
          "Keep the work directory (broker data, checkpoints, logs) after the command ends; by"
              + " default it is removed on exit, Ctrl-C and SIGTERM.")
  boolean keepWorkDir;

  @Option(
      names = "--timeout",
      defaultValue = "PT30M",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--registry-url",
      paramLabel = "URL",
      description =
          "A schema registry's Confluent-compatible API (streamsgd.registry.url), for --framing"
              + " CONFLUENT; the models and dead letters are then read back through it.")
  String registryUrl;

  @Option(
      names = "--framing",
      defaultValue = "SINGLE_OBJECT",
      description =
          "Framing the trainer publishes in (streamsgd.sink.framing): SINGLE_OBJECT or CONFLUENT"
              + " (needs --registry-url) (default: ${DEFAULT-VALUE}).")
  SinkFraming framing;

  @Spec CommandSpec commandSpec;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    // Checked here, before the input is read: the job would refuse them only once it starts.
    if (framing == SinkFraming.CONFLUENT && registryUrl == null) {
      throw new CommandLine.ParameterException(
          commandSpec.commandLine(), "--framing CONFLUENT needs --registry-url");
    }
    if (registryUrl != null) {
      try {
        RegistryConfig.of(registryUrl);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            commandSpec.commandLine(), "--registry-url: " + e.getMessage());
      }
    }
    InputFormat fmt =
        format == null
            ? InputFormat.guess(input)
            : InputFormat.valueOf(format.toUpperCase(Locale.ROOT));
    Path workDir = Files.createTempDirectory("streamsgd-run-");
    try (EmbeddedStack stack =
        EmbeddedStack.start(workDir, parallelism, DataTimeTopics.layout(parallelism))
            .keepWorkDir(keepWorkDir)) {
      DataTimeTopics.acceptAnyTimestamp(stack.bootstrapServers(), stack.topics().samples());
      out.printf(
          "streamsgd run: %s (%s) on an embedded Kafka broker and %s (%d subtasks)%n",
          input, fmt, EmbeddedStack.trainerPlace(stateBackend.kind()), parallelism);
      if (framing == SinkFraming.CONFLUENT) {
        out.printf(
            "  publishing in the Confluent framing, schemas in %s%n",
            RegistryConfig.of(registryUrl));
      }
      FileProducer.Stats stats;
      try (SampleFileReader reader =
          fmt.open(
              input,
              new InputFormat.Options(
                  labelColumn,
                  modelIdColumn,
                  timeColumn,
                  ignoreColumns,
                  categoricalColumns,
                  zeroBased,
                  tagIsModelId,
                  labels))) {
        stats =
            ReadPhase.read(
                reader,
                stack.bootstrapServers(),
                stack.topics().samples(),
                modelId,
                spec.task(),
                limit,
                out);
      }
      if (stats.samples() == 0) {
        out.println("RESULT: FAILED - no examples in the input");
        return 1;
      }
      Map<String, ModelSpec> specs = publishSpecs(stack, stats);

      Configuration job = stateBackend.applyTo(stack.jobOptions());
      job.set(JobOptions.BOUNDED, true);
      job.set(JobOptions.CHECKPOINT_INTERVAL, checkpointInterval);
      job.set(JobOptions.SINK_FRAMING, framing);
      if (registryUrl != null) {
        job.set(JobOptions.REGISTRY_URL, registryUrl);
      }
      JobClient client = stack.startTrainer(job);
      // From the job's submission: a cluster in child processes takes seconds to start first.
      long trainStart = System.nanoTime();
      Map<String, ModelUpdate> finals;
      OverallLossCurve curve = new OverallLossCurve(stats.samples(), 100);
      try (ModelSubscriber models =
          new ModelSubscriber(readerProperties(stack), stack.topics().models(), curve::accept)) {
        CheckpointWatch checkpoints =
            new CheckpointWatch(stack.restUrl(), client.getJobID().toHexString());
        long trainedAt = follow(client, models, stats.samples(), trainStart, checkpoints);
        double trainSeconds = (trainedAt - trainStart) / 1e9;
        if (!models.awaitCaughtUp(Duration.ofMinutes(2))) {
          throw new IllegalStateException("could not read the models topic to its end");
        }
        finals = models.all();
        Map<String, Long> deadLetters =
            countDeadLetters(
                stack, FramedCodec.of(Codecs.DEAD_LETTER, RegistryProperties.registry(registry())));
        long updates = finals.values().stream().mapToLong(ModelUpdate::getVersion).sum();
        RunReport result =
            report(
                fmt,
                stats,
                specs,
                finals,
                deadLetters,
                trainSeconds,
                curve.points(),
                checkpoints.result(),
                PublishedBytes.read(stack.bootstrapServers(), stack.topics().models(), updates));
        print(result);
        if (report != null) {
          result.write(report);
          Path chart = ReportFiles.lossChart(report);
          curve.write(
              chart, specs.values().iterator().next().getLoss().name().toLowerCase(Locale.ROOT));
          out.printf(
              "%nReport written to %s, the overall loss over the stream to %s%n", report, chart);
        }
      }
      return 0;
    }
  }

  private Map<String, ModelSpec> publishSpecs(EmbeddedStack stack, FileProducer.Stats stats)
      throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (String id : stats.samplesPerModel().keySet()) {
        ModelSpec s = spec.build(id, stats.dimension(), stats.classes(), stats.named());
        specs.put(id, s);
        p.send(
            new ProducerRecord<>(
                stack.topics().specs(),
                id.getBytes(StandardCharsets.UTF_8),
                Codecs.MODEL_SPEC.encode(s)));
      }
    }
    ModelSpec first = specs.values().iterator().next();
    out.printf("  spec: %s%n", ModelSpecJson.toJson(first));
    return specs;
  }

  /** Shows progress until the bounded job has consumed the input and finished. */
  /** Returns when the job finished (System.nanoTime), the end of the rate the bar showed last. */
  private long follow(
      JobClient client, ModelSubscriber models, long total, long start, CheckpointWatch checkpoints)
      throws Exception {
    var result = client.getJobExecutionResult();
    try (ProgressBar bar = TrainingProgress.start("trained", total, " samples", out)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!result.isDone()) {
        if (System.nanoTime() > deadline) {
          client.cancel().get();
          throw new IllegalStateException("run did not finish within " + timeout);
        }
        long trained = models.all().values().stream().mapToLong(ModelUpdate::getSamplesSeen).sum();
        bar.stepTo(trained);
        bar.setExtraMessage(" | " + TrainingProgress.rate(trained, start, System.nanoTime()));
        checkpoints.poll();
        Thread.sleep(200);
      }
      try {
        result.get(1, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw EmbeddedStack.failure(e);
      }
      long finished = System.nanoTime();
      bar.stepTo(total);
      bar.setExtraMessage(" | " + TrainingProgress.rate(total, start, finished));
      return finished;
    }
  }

  /** The registry's settings under Confluent's names, if one was given. */
  private Map<String, Object> registry() {
    return registryUrl == null ? Map.of() : Map.of(RegistryConfig.URL, registryUrl);
  }

  /** Properties of the readers of what the trainer publishes: the broker and the registry. */
  private Map<String, Object> readerProperties(EmbeddedStack stack) {
    Map<String, Object> props = new HashMap<>(registry());
    props.put("bootstrap.servers", stack.bootstrapServers());
    return props;
  }

  private static Map<String, Long> countDeadLetters(
      EmbeddedStack stack, FramedCodec<DeadLetter> codec) {
    Map<String, Long> counts = new TreeMap<>();
    TopicScan.each(
        stack.bootstrapServers(),
        stack.topics().deadLetters(),
        r -> {
          try {
            DeadLetter d = codec.decode(r.value());
            counts.merge(d.getReason().name(), 1L, Long::sum);
          } catch (io.streamsgd.schema.codec.DecodeException e) {
            counts.merge("UNREADABLE", 1L, Long::sum);
          }
        });
    return counts;
  }

  private RunReport report(
      InputFormat fmt,
      FileProducer.Stats stats,
      Map<String, ModelSpec> specs,
      Map<String, ModelUpdate> finals,
      Map<String, Long> deadLetters,
      double trainSeconds,
      List<OverallLossCurve.Point> lossCurve,
      RunReport.Checkpoints checkpoints,
      RunReport.Publication publication)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<RunReport.ModelResult> models = new ArrayList<>();
    List<double[]> pooled = new ArrayList<>();
    for (String id : specs.keySet()) {
      ModelUpdate u = finals.get(id);
      if (u == null) {
        continue; // every sample of this model was dead-lettered
      }
      PrequentialMetrics m = u.getMetrics();
      pooled.add(
          new double[] {
            m.getWeightSum(),
            m.getLossSum(),
            m.getAccuracy() == null ? Double.NaN : m.getAccuracy(),
            m.getRmse() == null ? Double.NaN : m.getRmse()
          });
      LinearModel params = ModelUpdates.model(u);
      int nonZero = 0;
      for (double w : params.weights()) {
        nonZero += w != 0.0 ? 1 : 0;
      }
      models.add(
          new RunReport.ModelResult(
              id,
              json.readTree(ModelSpecJson.toJson(u.getSpec())),
              u.getVersion(),
              u.getSamplesSeen(),
              u.getEventTimeMax().toString(),
              metrics(u.getMetrics()),
              nonZero,
              params.intercepts(),
              params.weights(),
              params.columns()));
    }
    return new RunReport(
        input.toString(),
        fmt.name().toLowerCase(Locale.ROOT),
        stats.samples(),
        stats.badLines(),
        stats.firstErrors(),
        new RunReport.EventTimes(
            stats.timesFromData(),
            Instant.ofEpochMilli(stats.eventTimeMin()).toString(),
            Instant.ofEpochMilli(stats.eventTimeMax()).toString(),
            stats.outOfOrder()),
        deadLetters,
        parallelism,
        stats.seconds(),
        trainSeconds,
        stats.samples() / trainSeconds,
        RunReport.Overall.of(pooled),
        lossCurve,
        checkpoints,
        publication,
        models);
  }

  private static Map<String, Double> metrics(PrequentialMetrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("meanLoss", m.getMeanLoss());
    if (m.getAccuracy() != null) {
      out.put("accuracy", m.getAccuracy());
      out.put("fadedAccuracy", m.getFadedAccuracy());
    }
    if (m.getRmse() != null) {
      out.put("rmse", m.getRmse());
      out.put("mae", m.getMae());
      out.put("fadedRmse", m.getFadedRmse());
      out.put("fadedMae", m.getFadedMae());
    }
    out.put("fadedLoss", m.getFadedLoss());
    out.put("fadingFactor", m.getFadingFactor());
    return out;
  }

  private void print(RunReport r) {
    out.printf(
        "%nTrained %,d samples in %.1f s (%,.0f samples/s through Kafka and Flink)%n",
        r.samples(), r.trainSeconds(), r.samplesPerSecond());
    if (!r.deadLetters().isEmpty()) {
      out.printf("Dead letters: %s%n", r.deadLetters());
    }
    RunReport.Checkpoints c = r.checkpoints();
    RunReport.Publication p = r.publication();
    out.printf(
        Locale.ROOT,
        "State %,.1f KB at the last of %d checkpoints (largest %,.1f KB, %s; uploaded %,.1f KB in %d"
            + " ms; slowest %d ms)%n",
        c.stateBytes() / 1e3,
        c.completed(),
        c.maxStateBytes() / 1e3,
        c.stateBackend(),
        c.lastCheckpointedBytes() / 1e3,
        c.lastDurationMs(),
        c.maxDurationMs());
    out.printf(
        Locale.ROOT,
        "Published %,d records (%,.1f KB, largest %,.1f KB) for %,d updates: %,.1f bytes per update%n",
        p.records(),
        p.bytes() / 1e3,
        p.largestRecordBytes() / 1e3,
        p.updates(),
        p.bytesPerUpdate());
    out.printf(
        "%n%-16s %9s %10s %12s %10s %10s %10s%n",
        "model", "version", "samples", "preq.loss", "accuracy", "rmse", "non-zero w");
    for (RunReport.ModelResult m : shown(r.models())) {
      if (m == null) {
        out.printf(
            "%-16s%n",
            String.format(Locale.ROOT, "... %,d more in --report", r.models().size() - 2 * SHOWN));
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%-16s %9d %10d %12.5f %10s %10s %10d%n",
          m.id(),
          m.version(),
          m.samplesSeen(),
          m.metrics().get("meanLoss"),
          format(m.metrics().get("accuracy")),
          format(m.metrics().get("rmse")),
          m.nonZeroWeights());
    }
    RunReport.Overall o = r.overall();
    if (r.models().size() > 1) {
      out.printf(
          Locale.ROOT,
          "%-16s %9s %10.0f %12.5f %10s %10s%n",
          "overall",
          "",
          o.weightSum(),
          o.meanLoss(),
          format(o.accuracy()),
          format(o.rmse()));
    }
  }

  /** Models shown on the console: all of a few, else the best and worst by loss (null between). */
  static final int SHOWN = 5;

  private static List<RunReport.ModelResult> shown(List<RunReport.ModelResult> models) {
    if (models.size() <= 2 * SHOWN + 1) {
      return models;
    }
    List<RunReport.ModelResult> byLoss = new ArrayList<>(models);
    byLoss.sort(Comparator.comparingDouble(m -> m.metrics().get("meanLoss")));
    List<RunReport.ModelResult> out = new ArrayList<>(byLoss.subList(0, SHOWN));
    out.add(null);
    out.addAll(byLoss.subList(byLoss.size() - SHOWN, byLoss.size()));
    return out;
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
