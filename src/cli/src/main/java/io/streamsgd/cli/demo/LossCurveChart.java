package io.streamsgd.cli.demo;

import io.streamsgd.bench.chart.LineChartPng;
import io.streamsgd.serving.ModelHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's final chart: each model's prequential loss against the samples it has seen, from the
 * serving app's history of the models topic (the curves the dashboard showed live).
 */
final class LossCurveChart {
  private LossCurveChart() {}

  static void write(Path file, List<ModelHistory.Curve> curves) throws IOException {
    List<LineChartPng.Series> series = new ArrayList<>();
    for (ModelHistory.Curve c : curves) {
      List<double[]> points =
          c.points().stream().map(p -> new double[] {p.samplesSeen(), p.loss()}).toList();
      series.add(
          new LineChartPng.Series(
              c.modelId() + " (" + c.loss().toLowerCase(java.util.Locale.ROOT) + " loss)", points));
    }
    LineChartPng.write(
        file,
        "Prequential loss while learning",
        "samples seen",
        "prequential loss (mean so far)",
        series,
        false,
        true);
  }
}
