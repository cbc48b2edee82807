package io.streamsgd.cli.demo;

import io.streamsgd.cli.embedded.StateBackendOption;
import io.streamsgd.cli.progress.TrainingProgress;
import io.streamsgd.cli.report.ReportFiles;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.input.produce.SampleProducer;
import io.streamsgd.input.produce.SeedExample;
import io.streamsgd.input.produce.SeededModel;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.serving.ModelHistory;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.serving.ServingClient;
import io.streamsgd.stack.EmbeddedStack;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code streamsgd demo}: the whole pipeline on one machine. A real Kafka broker, the trainer on a
 * Flink MiniCluster and the Kafka Streams serving app start in this JVM; a producer streams the two
 * seed examples; three models train in parallel; the serving app answers at the end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "The whole pipeline on this machine: broker, trainer, serving app, result.",
    description =
        "Runs the whole pipeline on an embedded real Kafka broker and Flink MiniCluster: two "
            + "linear-regression models (y = 3x + 2 + U(0,1), different learning rates) and one "
            + "logistic-regression model (label = round(tanh(2x) + U(0,1))), trained in parallel.")
public final class DemoCommand implements Callable<Integer> {
  /** Least-squares answer of the linear example, and the tolerance the demo holds itself to. */
  static final double TRUE_W = 3.0;

  static final double TRUE_B = 2.5;
  static final double TOLERANCE = 0.05;

  /** When every model had published a version that saw all its samples (System.nanoTime). */
  private long trainedAt;

  @Option(
      names = "--samples",
      description = "Samples per model (default: ${DEFAULT-VALUE}).",
      defaultValue = "200000")
  long samplesPerModel;

  @Option(
      names = "--parallelism",
      description = "Flink subtasks (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int parallelism;

  @Option(names = "--report", description = "Write the result as JSON to this file.")
  Path report;

  @Mixin StateBackendOption stateBackend;

  @Option(
      names = "--keep-work-dir",
      description =
          "Keep the work directory (broker data, checkpoints, logs) after the command ends; by"
              + " default it is removed on exit, Ctrl-C and SIGTERM.")
  boolean keepWorkDir;

  @Option(
      names = "--timeout",
      description = "Give up after this long, e.g. PT10M (default: ${DEFAULT-VALUE}).",
      defaultValue = "PT10M")
  Duration timeout;

  @Option(
      names = "--seed",
      description = "Seed of the sample generator (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--http-port",
      description =
          "Port of the serving app's HTTP API and dashboard (default: ${DEFAULT-VALUE}, a free one).",
      defaultValue = "0")
  int httpPort;

  @Option(
      names = "--keep-serving",
      description =
          "Keep the serving app and its dashboard up this long after the result, e.g. PT10M (default: ${DEFAULT-VALUE}).",
      defaultValue = "PT0S")
  Duration keepServing;

  private final PrintStream out = System.out;

  static List<SeededModel> models() {
    return List.of(
        new SeededModel(
            ModelSpecs.of("linear-fast", Task.REGRESSION, Loss.SQUARED, 1, 0.1, 0.0, 64, 500),
            SeedExample.LINEAR),
        new SeededModel(
            ModelSpecs.of("linear-slow", Task.REGRESSION, Loss.SQUARED, 1, 0.03, 0.0, 32, 500),
            SeedExample.LINEAR),
        new SeededModel(
            ModelSpecs.of("logistic", Task.BINARY, Loss.LOGISTIC, 1, 0.5, 0.0, 64, 500),
            SeedExample.LOGISTIC));
  }

  @Override
  public Integer call() throws Exception {
    if (samplesPerModel < 1 || parallelism < 1) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--samples and --parallelism must be >= 1");
    }
    List<SeededModel> models = models();
    out.printf(
        "streamsgd demo: %d models x %,d samples, %d Flink subtasks%n",
        models.size(), samplesPerModel, parallelism);
    long t0 = System.nanoTime();
    Path workDir = Files.createTempDirectory("streamsgd-demo-");
    try (EmbeddedStack stack =
        EmbeddedStack.start(workDir, parallelism, TopicLayout.defaults(4))
            .keepWorkDir(keepWorkDir)) {
      out.printf(
          "  Kafka broker (KRaft) up at %s after %.1f s%n", stack.bootstrapServers(), seconds(t0));
      publishSpecs(stack, models);

      Configuration job = stateBackend.applyTo(stack.jobOptions());
      job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
      job.set(JobOptions.MISSING_SPEC, MissingSpecPolicy.WAIT);
      stack.startTrainer(job);
      out.printf(
          "  trainer job running on %s (%d subtasks), exactly-once to '%s'%n",
          EmbeddedStack.trainerPlace(stateBackend.kind()), parallelism, stack.topics().models());
      ModelServingApp serving = stack.startServing(httpPort);
      String base = "http://127.0.0.1:" + serving.httpPort();
      out.printf(
          "  serving app (Kafka Streams) following '%s', HTTP API at %s/models%n",
          stack.topics().models(), base);
      out.printf(
          "%n  Watch the models learn: open %s/dashboard  (metrics: %s/metrics)%n%n", base, base);

      SampleProducer producer =
          new SampleProducer(
              stack.bootstrapServers(), stack.topics().samples(), models, samplesPerModel, seed);
      Thread producerThread = new Thread(producer, "demo-producer");
      long trainStart = System.nanoTime();
      producerThread.start();
      boolean done;
      try (ModelSubscriber watcher =
          new ModelSubscriber(
              Map.of("bootstrap.servers", stack.bootstrapServers()), stack.topics().models())) {
        done = followTraining(stack, models, producer, watcher, trainStart);
        producerThread.join();
        if (producer.failure() != null) {
          throw new IllegalStateException("producer failed", producer.failure());
        }
        if (!done) {
          out.printf("%nRESULT: FAILED - models did not see all samples within %s%n", timeout);
          keepServing(base);
          return 2;
        }
      }
      double trainSeconds = (trainedAt - trainStart) / 1e9;
      int code = finish(models, serving, trainSeconds);
      keepServing(base);
      return code;
    }
  }

  /** With --keep-serving, leaves the dashboard up so a browser can still look at the curves. */
  private void keepServing(String base) throws InterruptedException {
    if (keepServing.isZero() || keepServing.isNegative()) {
      return;
    }
    out.printf(
        "%nThe dashboard stays up at %s/dashboard for %s (Ctrl-C stops).%n", base, keepServing);
    Thread.sleep(keepServing.toMillis());
  }

  private void publishSpecs(EmbeddedStack stack, List<SeededModel> models) {
    publishSpecs(
        Map.of("bootstrap.servers", stack.bootstrapServers()),
        stack.topics().specs(),
        models,
        new PrintWriter(out, true));
  }

  /** Publishes each model's spec to the specs topic, one line each on {@code out}. */
  static void publishSpecs(
      Map<String, Object> clientProperties,
      String topic,
      List<SeededModel> models,
      PrintWriter out) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            clientProperties, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (SeededModel m : models) {
        p.send(
            new ProducerRecord<>(
                topic,
                m.id().getBytes(StandardCharsets.UTF_8),
                Codecs.MODEL_SPEC.encode(m.spec())));
        out.printf(
            "  spec %-12s %s, %s loss, SGD lr=%s, batch %d or %d ms%n",
            m.id(),
            m.spec().getTask(),
            m.spec().getLoss(),
            m.spec().getOptimizer().getLearningRate(),
            m.spec().getBatch().getSize(),
            m.spec().getBatch().getMaxLatencyMs());
      }
    }
  }

  /** Shows progress until every model has published a version that has seen all its samples. */
  private boolean followTraining(
      EmbeddedStack stack,
      List<SeededModel> models,
      SampleProducer producer,
      ModelSubscriber watcher,
      long start)
      throws InterruptedException {
    long total = samplesPerModel * models.size();
    long deadline = start + timeout.toNanos();
    try (ProgressBar bar = TrainingProgress.start("trained", total, " samples", out)) {
      while (System.nanoTime() < deadline) {
        long trained = 0;
        StringBuilder versions = new StringBuilder();
        StringBuilder losses = new StringBuilder();
        boolean all = true;
        for (SeededModel m : models) {
          ModelUpdate u = watcher.latest(m.id()).orElse(null);
          trained += u == null ? 0 : u.getSamplesSeen();
          all &= u != null && u.getSamplesSeen() >= samplesPerModel;
          versions.append(versions.length() == 0 ? "" : "/").append(u == null ? 0 : u.getVersion());
          losses
              .append(losses.length() == 0 ? "" : "/")
              .append(
                  u == null
                      ? "-"
                      : String.format(Locale.ROOT, "%.3f", u.getMetrics().getMeanLoss()));
        }
        long now = System.nanoTime();
        bar.stepTo(trained);
        bar.setExtraMessage(
            String.format(
                Locale.ROOT,
                " | %s | produced %,d | versions %s | loss %s",
                TrainingProgress.rate(trained, start, now),
                producer.produced(),
                versions,
                losses));
        if (all) {
          trainedAt = now; // the final figure's end, the same instant as the bar's last rate
          return true;
        }
        stack.checkTrainer();
        Thread.sleep(100);
      }
    }
    return false;
  }

  private int finish(List<SeededModel> models, ModelServingApp serving, double trainSeconds)
      throws Exception {
    long total = samplesPerModel * models.size();
    out.printf(
        "%nTrained %,d samples in %.1f s (%,.0f samples/s end to end, committed model updates)%n%n",
        total, trainSeconds, total / trainSeconds);
    out.printf(
        "%-12s %-10s %-8s %6s %6s %9s %10s %9s %9s %9s%n",
        "model", "task", "loss", "lr", "batch", "version", "samples", "preq.loss", "w", "b");
    List<DemoReport.ModelResult> results = new ArrayList<>();
    boolean converged = true;
    ServingClient http = new ServingClient(serving.httpPort());
    for (SeededModel m : models) {
      awaitServed(http, m.id(), samplesPerModel);
      ModelUpdate u = serving.latest(m.id()).orElseThrow();
      LinearModel params = ModelUpdates.model(u);
      double w = params.weight(0, 0);
      double b = params.intercepts()[0];
      ModelSpec spec = u.getSpec();
      out.printf(
          Locale.ROOT,
          "%-12s %-10s %-8s %6.3f %6d %9d %10d %9.5f %9.4f %9.4f%n",
          m.id(),
          spec.getTask(),
          spec.getLoss(),
          spec.getOptimizer().getLearningRate(),
          spec.getBatch().getSize(),
          u.getVersion(),
          u.getSamplesSeen(),
          u.getMetrics().getMeanLoss(),
          w,
          b);
      ServingClient.Answer served = http.predictDense(m.id(), 0.5);
      results.add(
          new DemoReport.ModelResult(
              m.id(),
              spec.getTask().name(),
              spec.getLoss().name(),
              spec.getOptimizer().getLearningRate(),
              spec.getBatch().getSize(),
              params.weights().clone(),
              b,
              u.getVersion(),
              u.getSamplesSeen(),
              u.getMetrics().getMeanLoss(),
              new DemoReport.ServedPrediction(0.5, served.value(), served.version())));
      if (m.example() == SeedExample.LINEAR) {
        converged &= Math.abs(w - TRUE_W) <= TOLERANCE && Math.abs(b - TRUE_B) <= TOLERANCE;
      }
    }
    out.printf(
        "%nThe serving app (POST /models/{id}/predict) scores x = 0.5 with each model's latest version:%n");
    for (DemoReport.ModelResult r : results) {
      String what = r.task().equals("BINARY") ? "P(y=1)" : "y";
      out.printf(
          Locale.ROOT,
          "  %-12s %s = %.4f   (version %d)%n",
          r.id(),
          what,
          r.prediction().value(),
          r.prediction().version());
    }
    String result = converged ? "PASS" : "FAIL";
    DemoReport report =
        new DemoReport(
            result, parallelism, samplesPerModel, trainSeconds, total / trainSeconds, results);
    if (this.report != null) {
      report.write(this.report);
      Path chart = ReportFiles.lossChart(this.report);
      LossCurveChart.write(chart, awaitHistory(serving.history(), models));
      out.printf("%nReport written to %s, loss curves to %s%n", this.report, chart);
    }
    out.printf(
        Locale.ROOT,
        "%nRESULT: %s - linear models %s w = %.1f, b = %.1f within +/- %.2f%n",
        result,
        converged ? "converged to" : "did NOT converge to",
        TRUE_W,
        TRUE_B,
        TOLERANCE);
    return converged ? 0 : 1;
  }

  /** Waits until the serving app holds the version that has seen every sample. */
  private static void awaitServed(ServingClient http, String id, long samples) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (http.samplesSeen(id).orElse(0L) >= samples) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("serving app never caught up with model " + id);
  }

  /**
   * The history's curves once they reach every model's last version: the history has a reader of
   * its own, which may be a poll behind the serving store the demo waited for.
   */
  private List<ModelHistory.Curve> awaitHistory(ModelHistory history, List<SeededModel> models)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<ModelHistory.Curve> curves = history.curves();
      if (curves.size() >= models.size()
          && curves.stream().allMatch(c -> c.latest().samplesSeen() >= samplesPerModel)) {
        return curves;
      }
      Thread.sleep(50);
    }
    return history.curves();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
