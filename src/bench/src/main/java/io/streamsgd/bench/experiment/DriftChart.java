package io.streamsgd.bench.experiment;

import io.streamsgd.bench.chart.LineChartPng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The windowed prequential loss of each charted variant as a line, and its drifts as dots on that
 * line, at the sample where the detector signalled. Every variant learns exactly as the model with
 * no detection until its first reaction, so lines coincide for long stretches: each is drawn
 * narrower than the one before and over it, so that coinciding lines show as nested stripes.
 */
final class DriftChart {
  /** Line widths in drawing order: the first line at the bottom, widest. */
  private static final float[] WIDTHS = {7f, 5.2f, 3.6f, 2.2f, 1.2f};

  private DriftChart() {}

  /** The charted variants' windowed losses. */
  static void write(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      Map<DriftExperiment.Variant, DriftRun> runs,
      int window,
      List<LineChartPng.VerticalLine> verticals,
      boolean logY)
      throws IOException {
    LineChartPng.write(
        file, title, xLabel, yLabel, series(runs, window, null), verticals, false, logY);
  }

  /**
   * Each charted variant's windowed loss minus that of {@code baseline} (which is left out: it is
   * the zero line), in the colours of {@link #write}: above zero, the variant did worse.
   */
  static void writeDifference(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      Map<DriftExperiment.Variant, DriftRun> runs,
      int window,
      DriftRun baseline)
      throws IOException {
    LineChartPng.write(
        file, title, xLabel, yLabel, series(runs, window, baseline), List.of(), false, false);
  }

  private static List<LineChartPng.Series> series(
      Map<DriftExperiment.Variant, DriftRun> runs, int window, DriftRun baseline) {
    List<double[]> base = baseline == null ? null : baseline.loss.windows(window);
    List<LineChartPng.Series> lines = new ArrayList<>();
    List<LineChartPng.Series> marks = new ArrayList<>();
    int colour = -1;
    for (Map.Entry<DriftExperiment.Variant, DriftRun> e : runs.entrySet()) {
      if (!e.getKey().charted()) {
        continue;
      }
      colour++; // a variant keeps its colour with or without the baseline
      DriftRun r = e.getValue();
      if (r == baseline) {
        continue;
      }
      List<double[]> line = r.loss.windows(window);
      if (base != null) {
        line = minus(line, base);
      }
      int index = lines.size();
      lines.add(
          new LineChartPng.Series(r.name, line, false, colour, WIDTHS[index % WIDTHS.length]));
      List<double[]> dots = new ArrayList<>();
      for (long s : r.drifts()) {
        dots.add(new double[] {s, yAt(line, s)});
      }
      if (!dots.isEmpty()) {
        marks.add(LineChartPng.Series.marks(r.name + " drifts", dots, colour));
      }
    }
    List<LineChartPng.Series> all = new ArrayList<>(lines);
    all.addAll(marks); // after the lines, so that the dots are drawn over them
    return all;
  }

  /** Point by point differences of two lines over the same x values. */
  static List<double[]> minus(List<double[]> line, List<double[]> base) {
    if (line.size() != base.size()) {
      throw new IllegalArgumentException(
          "lines of " + line.size() + " and " + base.size() + " points");
    }
    List<double[]> out = new ArrayList<>(line.size());
    for (int i = 0; i < line.size(); i++) {
      if (line.get(i)[0] != base.get(i)[0]) {
        throw new IllegalArgumentException("the lines' x values differ at point " + i);
      }
      out.add(new double[] {line.get(i)[0], line.get(i)[1] - base.get(i)[1]});
    }
    return out;
  }

  /**
   * The height of the polyline {@code line} (points in increasing x) at {@code x}: linear between
   * its points, flat beyond its ends, so a dot sits on the line as drawn.
   */
  static double yAt(List<double[]> line, double x) {
    if (line.isEmpty()) {
      return Double.NaN;
    }
    if (x <= line.get(0)[0]) {
      return line.get(0)[1];
    }
    for (int i = 1; i < line.size(); i++) {
      double[] a = line.get(i - 1);
      double[] b = line.get(i);
      if (x <= b[0]) {
        return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
      }
    }
    return line.get(line.size() - 1)[1];
  }
}
