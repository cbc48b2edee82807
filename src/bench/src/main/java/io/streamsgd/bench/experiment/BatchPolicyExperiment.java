package io.streamsgd.bench.experiment;

import io.streamsgd.bench.chart.LineChartPng;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fixed small, fixed large and adaptive (norm test, inner-product test) batches on a stream whose
 * noise rises tenfold halfway: prequential loss against samples and against updates, batch size
 * against samples. Writes three PNG charts and a Markdown table.
 */
public final class BatchPolicyExperiment {
  static final int SAMPLES = 300_000;
  static final int DIMENSION = 20;
  static final double SIGMA_BEFORE = 0.1;
  static final double SIGMA_AFTER = 1.0;
  static final double LEARNING_RATE = 0.02;
  static final double NORM_THETA = 0.95;
  static final double INNER_PRODUCT_THETA = 0.5;
  static final double ORTHOGONALITY_NU = 2.0;

  private BatchPolicyExperiment() {}

  static ModelSpec spec(BatchPolicyKind kind, int size, double theta) {
    ModelSpec spec = ModelSpecs.linearRegression("experiment", DIMENSION, LEARNING_RATE, size);
    spec.getBatch().setKind(kind);
    spec.getBatch().setMaxLatencyMs(0);
    spec.getBatch().setMinSize(4);
    spec.getBatch().setMaxSize(2048);
    spec.getBatch().setTheta(theta);
    spec.setFadingFactor(0.999);
    return spec;
  }

  /** Runs every policy and writes the charts and {@code batch-policies.md} into {@code out}. */
  public static List<String> run(Path out) throws IOException {
    List<Sample> stream =
        DriftingNoiseStream.generate(SAMPLES, DIMENSION, SIGMA_BEFORE, SIGMA_AFTER, 17);
    Map<String, PolicyRun> runs = new LinkedHashMap<>();
    runs.put("fixed 4", PolicyRun.of("fixed 4", spec(BatchPolicyKind.FIXED, 4, 1), stream));
    runs.put("fixed 256", PolicyRun.of("fixed 256", spec(BatchPolicyKind.FIXED, 256, 1), stream));
    runs.put(
        "norm test",
        PolicyRun.of(
            "norm test (theta 0.95)", spec(BatchPolicyKind.NORM_TEST, 4, NORM_THETA), stream));
    runs.put(
        "inner-product test",
        PolicyRun.of(
            "inner-product test (theta 0.5)",
            spec(BatchPolicyKind.INNER_PRODUCT_TEST, 4, INNER_PRODUCT_THETA),
            stream));

    Files.createDirectories(out);
    chart(
        runs,
        0,
        2,
        "samples",
        "faded prequential loss",
        "Prequential loss vs samples",
        out.resolve("batch-policies-loss-vs-samples.png"),
        true);
    chart(
        runs,
        1,
        2,
        "updates (model versions)",
        "faded prequential loss",
        "Prequential loss vs updates",
        out.resolve("batch-policies-loss-vs-updates.png"),
        true);
    chart(
        runs,
        0,
        3,
        "samples",
        "batch size",
        "Batch size vs samples",
        out.resolve("batch-policies-batch-size.png"),
        true);
    List<String> rows = new ArrayList<>(table(runs));
    rows.add("");
    rows.addAll(statisticsTable(stream));
    return rows;
  }

  /**
   * The adaptive policies as the trainer runs them (open batches as running sums) against the same
   * policies reading every batch's exact statistics (as when the trainer held the samples): batch
   * sizes, updates and losses.
   */
  static List<String> statisticsTable(List<Sample> stream) {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| policy | statistics | updates | mean batch | median batch | 90th percentile batch | loss at 140,000 samples | final loss |");
    rows.add("|---|---|---|---|---|---|---|---|");
    ModelSpec orthogonal = spec(BatchPolicyKind.INNER_PRODUCT_TEST, 4, INNER_PRODUCT_THETA);
    orthogonal.getBatch().setNu(ORTHOGONALITY_NU);
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("norm test (theta 0.95)", spec(BatchPolicyKind.NORM_TEST, 4, NORM_THETA));
    specs.put(
        "inner-product test (theta 0.5)",
        spec(BatchPolicyKind.INNER_PRODUCT_TEST, 4, INNER_PRODUCT_THETA));
    specs.put("inner-product and orthogonality tests (theta 0.5, nu 2)", orthogonal);
    for (Map.Entry<String, ModelSpec> e : specs.entrySet()) {
      String name = e.getKey();
      rows.add(
          statisticsRow(
              name, "running sums (the trainer)", PolicyRun.of(name, e.getValue(), stream)));
      rows.add(
          statisticsRow(
              name,
              "exact (samples held)",
              PolicyRun.withExactStatistics(name, e.getValue(), stream)));
    }
    return rows;
  }

  private static String statisticsRow(String policy, String statistics, PolicyRun r) {
    double[] sizes = r.batchSizes();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,d | %.1f | %.0f | %.0f | %.4f | %.4f |",
        policy,
        statistics,
        (long) r.last()[1],
        sizes[0],
        sizes[1],
        sizes[2],
        r.lossAtSamples(SAMPLES / 2 - 10_000),
        r.last()[2]);
  }

  /**
   * Result rows: final loss of each half, early loss, updates to reach the best fixed policy's
   * level.
   */
  static List<String> table(Map<String, PolicyRun> runs) {
    long half = SAMPLES / 2;
    double bestFirst =
        Math.min(
            runs.get("fixed 4").lossAtSamples(half), runs.get("fixed 256").lossAtSamples(half));
    double bestSecond = Math.min(runs.get("fixed 4").last()[2], runs.get("fixed 256").last()[2]);
    List<String> rows = new ArrayList<>();
    rows.add(
        "| policy | updates | loss after 5,000 samples | loss at 140,000 samples | updates to within 5 % of the best fixed (1st half) | final loss | updates to within 5 % of the best fixed (2nd half) |");
    rows.add("|---|---|---|---|---|---|---|");
    for (PolicyRun r : runs.values()) {
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.4f | %.4f | %s | %.4f | %s |",
              r.name,
              (long) r.last()[1],
              r.lossAtSamples(5_000),
              r.lossAtSamples(half - 10_000),
              updates(r.updatesToReach(bestFirst * 1.05, 0)),
              r.last()[2],
              updates(r.updatesToReach(bestSecond * 1.05, half + 5_000))));
    }
    return rows;
  }

  private static String updates(long u) {
    return u < 0 ? "never" : String.format(Locale.ROOT, "%,d", u);
  }

  private static void chart(
      Map<String, PolicyRun> runs,
      int x,
      int y,
      String xLabel,
      String yLabel,
      String title,
      Path file,
      boolean logY)
      throws IOException {
    List<LineChartPng.Series> series = new ArrayList<>();
    for (PolicyRun r : runs.values()) {
      series.add(
          new LineChartPng.Series(
              r.name, r.points.stream().map(p -> new double[] {p[x], p[y]}).toList()));
    }
    LineChartPng.write(file, title, xLabel, yLabel, series, x == 1, logY);
  }
}
