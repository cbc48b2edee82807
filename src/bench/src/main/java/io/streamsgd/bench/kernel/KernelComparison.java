package io.streamsgd.bench.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamsgd.schema.OptimizerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One run, side by side: streamsgd's learning kernel and Vowpal Wabbit on the same logistic stream
 * (dense d = 64). Speed from JMH (examples/s, one thread each); quality as progressive log loss
 * over a 200,000-example stream (every example scored before it is learned).
 */
public final class KernelComparison {
  /** The kernel's settings: AdaGrad, learning rate 0.07, minibatches of 32. */
  static final OptimizerKind OPTIMIZER = OptimizerKind.ADAGRAD;

  static final double LEARNING_RATE = 0.07;
  static final int BATCH_SIZE = 32;
  static final int LOSS_EXAMPLES = 200_000;

  private KernelComparison() {}

  static StreamSgdKernel streamsgdKernel(LogisticData data, int batchSize) {
    return new StreamSgdKernel(data, OPTIMIZER, LEARNING_RATE, batchSize);
  }

  /** Runs the comparison; writes JSON to {@code args[0]} (default target/kernel-vs-vw.json). */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/kernel-vs-vw.json");
    Map<String, Object> report = run(args.length > 1 && args[1].equals("--quick"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("JSON written to " + out);
  }

  public static Map<String, Object> run(boolean quick) throws Exception {
    LogisticData stream = new LogisticData(LOSS_EXAMPLES, 64, 7);
    double ours = streamsgdKernel(stream, BATCH_SIZE).pass();
    double theirs = new VowpalWabbitPeer(stream).pass();

    Options options =
        new OptionsBuilder()
            .include(KernelBenchmark.class.getName())
            .param("batchSize", String.valueOf(BATCH_SIZE))
            .forks(quick ? 1 : 2)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(2))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> speed = new LinkedHashMap<>();
    Map<String, Double> error = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      speed.put(name, r.getPrimaryResult().getScore());
      error.put(name, r.getPrimaryResult().getScoreError());
    }
    double ourSpeed = speed.get("streamsgdMinibatchKernel");
    double vwSpeed = speed.get("vowpalWabbit");

    System.out.printf(
        Locale.ROOT,
        "%n%-34s %16s %14s%n",
        "learner (dense d=64, one thread)",
        "examples/s",
        "prog. logloss");
    System.out.printf(
        Locale.ROOT,
        "%-34s %16.0f %14.5f%n",
        "streamsgd " + OPTIMIZER + " lr=" + LEARNING_RATE + " batch " + BATCH_SIZE,
        ourSpeed,
        ours);
    System.out.printf(
        Locale.ROOT, "%-34s %16.0f %14.5f%n", "Vowpal Wabbit 9.3.0 (JNI)", vwSpeed, theirs);
    System.out.printf(
        Locale.ROOT,
        "ratios: speed %.1fx, log loss %+.2f%%%n",
        ourSpeed / vwSpeed,
        100 * (ours / theirs - 1));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("dimension", 64);
    report.put("lossExamples", LOSS_EXAMPLES);
    report.put(
        "streamsgd",
        Map.of(
            "optimizer",
            OPTIMIZER.name(),
            "learningRate",
            LEARNING_RATE,
            "batchSize",
            BATCH_SIZE,
            "examplesPerSecond",
            ourSpeed,
            "examplesPerSecondError",
            error.get("streamsgdMinibatchKernel"),
            "progressiveLogLoss",
            ours));
    report.put(
        "vowpalWabbit",
        Map.of(
            "version",
            "9.3.0",
            "arguments",
            VowpalWabbitPeer.ARGS,
            "examplesPerSecond",
            vwSpeed,
            "examplesPerSecondError",
            error.get("vowpalWabbit"),
            "progressiveLogLoss",
            theirs));
    report.put("speedRatio", ourSpeed / vwSpeed);
    report.put("logLossRatio", ours / theirs);
    return report;
  }
}
