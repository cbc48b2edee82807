package io.streamsgd.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of a few named series, written as a 900 x 500 PNG (JFreeChart), for reports. A
 * series may also be a set of marks (points, not joined) on another series' line, lines may have
 * their own widths, and the x axis may carry labelled vertical lines.
 */
public final class LineChartPng {
  /** Lines longer than this are thinned to about this many points: a PNG shows no more. */
  static final int MAX_POINTS = 2000;

  private static final Color[] COLORS = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0x1f, 0x77, 0xb4),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0x94, 0x67, 0xbd),
    new Color(0xff, 0x7f, 0x0e),
    new Color(0x8c, 0x56, 0x4b),
    new Color(0xe3, 0x77, 0xc2),
    new Color(0x7f, 0x7f, 0x7f)
  };

  /**
   * One series: its legend name, its (x, y) points in x order, whether it is drawn as marks
   * (unjoined dots, left out of the legend), the series whose colour it takes (-1: its own place in
   * the list) and its line width (0: the default).
   */
  public record Series(
      String name, List<double[]> points, boolean marks, int colourOf, float width) {
    /** A line, in the colour of its place in the list. */
    public Series(String name, List<double[]> points) {
      this(name, points, false, -1, 0f);
    }

    /** Marks on the line at {@code line} in the list, in its colour: events along that line. */
    public static Series marks(String name, List<double[]> points, int line) {
      return new Series(name, points, true, line, 0f);
    }

    /** This series drawn {@code width} pixels wide. */
    public Series withWidth(float width) {
      return new Series(name, points, marks, colourOf, width);
    }

    boolean layered() {
      return marks || width > 0;
    }
  }

  /** A dashed vertical line across the plot at {@code x}, labelled at the top. */
  public record VerticalLine(double x, String label) {}

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
    write(file, title, xLabel, yLabel, series, List.of(), logX, logY);
  }

  /** As {@link #write(Path, String, String, String, List, boolean, boolean)}, with lines. */
  public static void write(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      List<VerticalLine> verticals,
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
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      renderer.setSeriesPaint(i, COLORS[(s.colourOf() < 0 ? i : s.colourOf()) % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(s.width() > 0 ? s.width() : 1.6f));
      if (s.marks()) {
        renderer.setSeriesLinesVisible(i, false);
        renderer.setSeriesShapesVisible(i, true);
        renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesVisibleInLegend(i, false);
      }
    }
    plot.setRenderer(renderer);
    if (series.stream().anyMatch(Series::layered)) {
      // JFreeChart draws the last series first by default. A caller that sets marks or widths
      // layers its series: the first at the bottom (a wide line under the narrower ones that
      // coincide with it), marks last, on top.
      plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    }
    for (VerticalLine v : verticals) {
      ValueMarker marker =
          new ValueMarker(
              v.x(),
              Color.DARK_GRAY,
              new BasicStroke(
                  1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0));
      marker.setLabel(v.label());
      marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(marker);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
  }
}
