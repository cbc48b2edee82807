package io.streamsgd.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** A line chart of a few named series, written as a 900 x 500 PNG (JFreeChart), for reports. */
public final class LineChartPng {
  /** Lines longer than this are thinned to about this many points: a PNG shows no more. */
  static final int MAX_POINTS = 2000;

  private static final Color[] COLORS = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0x1f, 0x77, 0xb4),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0x94, 0x67, 0xbd)
  };

  /** One line: its legend name and its (x, y) points in x order. */
  public record Series(String name, List<double[]> points) {}

  private LineChartPng() {}

  /**
   * Writes the chart to {@code file}. On a logarithmic axis, points with a value <= 0 there are
   * left out (a log axis cannot place them).
   */
  public static void write(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      boolean logX,
      boolean logY)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries line = new XYSeries(s.name(), false);
      int step = Math.max(1, s.points().size() / MAX_POINTS);
      for (int i = 0; i < s.points().size(); i += step) {
        double[] p = s.points().get(i);
        if ((!logX || p[0] > 0)
            && (!logY || p[1] > 0)
            && Double.isFinite(p[0])
            && Double.isFinite(p[1])) {
          line.add(p[0], p[1]);
        }
      }
      data.addSeries(line);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (logY) {
      plot.setRangeAxis(new LogarithmicAxis(yLabel));
    }
    if (logX) {
      plot.setDomainAxis(new LogarithmicAxis(xLabel));
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(1.6f));
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
  }
}
