package io.streamsgd.cli.run;

import io.streamsgd.bench.chart.LineChartPng;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PrequentialMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The overall prequential loss over the stream, all models pooled, built from the versions as they
 * are published: each version carries its model's loss and weight sums so far, so the pool's sums
 * are exact at every version. A point is taken each time the samples trained grow by a step; the
 * loss between two points is the window's own loss (how the models do at that part of the stream),
 * the mean so far is the figure the report ends with.
 */
final class OverallLossCurve {
  /** One point: samples trained by then, the mean loss so far, the loss of the window before. */
  record Point(long samples, double meanLoss, double windowLoss) {}

  private final long step;
  private final Map<String, double[]> perModel = new HashMap<>(); // samples, weight, loss
  private final List<Point> points = new ArrayList<>();
  private double samples;
  private double weight;
  private double loss;
  private double lastWeight;
  private double lastLoss;
  private long nextPointAt;

  /**
   * @param expectedSamples the stream's length, to space about {@code points} points along it
   */
  OverallLossCurve(long expectedSamples, int points) {
    this.step = Math.max(1, expectedSamples / points);
    this.nextPointAt = step;
  }

  /** Takes a newer version of one model (called on the subscriber's thread). */
  synchronized void accept(ModelUpdate u) {
    PrequentialMetrics m = u.getMetrics();
    double[] held = perModel.computeIfAbsent(u.getModelId(), id -> new double[3]);
    samples += u.getSamplesSeen() - held[0];
    weight += m.getWeightSum() - held[1];
    loss += m.getLossSum() - held[2];
    held[0] = u.getSamplesSeen();
    held[1] = m.getWeightSum();
    held[2] = m.getLossSum();
    if (samples >= nextPointAt && weight > lastWeight) {
      points.add(
          new Point((long) samples, loss / weight, (loss - lastLoss) / (weight - lastWeight)));
      lastWeight = weight;
      lastLoss = loss;
      nextPointAt = ((long) samples / step + 1) * step;
    }
  }

  /** The points taken, and where the pool stands now if it has moved since the last one. */
  synchronized List<Point> points() {
    List<Point> out = new ArrayList<>(points);
    long last = points.isEmpty() ? 0 : points.get(points.size() - 1).samples();
    if ((long) samples > last && weight > lastWeight) {
      out.add(new Point((long) samples, loss / weight, (loss - lastLoss) / (weight - lastWeight)));
    }
    return out;
  }

  /** Draws both curves against the samples trained. */
  void write(Path png, String lossName) throws IOException {
    List<Point> p = points();
    LineChartPng.write(
        png,
        "Overall prequential " + lossName + " loss, all models pooled",
        "samples trained",
        "prequential loss",
        List.of(
            new LineChartPng.Series(
                "mean so far",
                p.stream().map(x -> new double[] {x.samples(), x.meanLoss()}).toList()),
            new LineChartPng.Series(
                "each window",
                p.stream().map(x -> new double[] {x.samples(), x.windowLoss()}).toList())),
        false,
        false);
  }
}
