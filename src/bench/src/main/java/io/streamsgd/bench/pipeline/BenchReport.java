package io.streamsgd.bench.pipeline;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** The benchmark's chart and the README's performance table, both from the run's report. */
public final class BenchReport {
  private BenchReport() {}

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> report, String key) {
    return (List<Map<String, Object>>) report.getOrDefault(key, List.of());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> report, String... path) {
    Map<String, Object> m = report;
    for (String p : path) {
      m = (Map<String, Object>) m.get(p);
      if (m == null) {
        return null;
      }
    }
    return m;
  }

  static String runLabel(Map<String, Object> r) {
    return String.format(
        Locale.ROOT,
        "%s, %,d model%s, %s, %s%s",
        r.get("features"),
        r.get("models"),
        ((Number) r.get("models")).intValue() == 1 ? "" : "s",
        r.get("guarantee").equals("EXACTLY_ONCE") ? "exactly-once" : "at-least-once",
        r.get("stateBackend").toString().toLowerCase(Locale.ROOT),
        ("IGNORED".equals(r.get("recordKey")) ? ", decoded before the shuffle" : "")
            + (((Number) r.getOrDefault("repeat", 1)).intValue() > 1 ? ", again" : ""));
  }

  /** Throughput of every measured path, one bar each, samples (records) per second. */
  /**
   * p50 and p99 latency of the samples sent in each second of the latency runs; returns false when
   * the report has no latency runs.
   */
  public static boolean latencyChart(Map<String, Object> report, Path file) throws IOException {
    List<io.streamsgd.bench.chart.LineChartPng.Series> series = new java.util.ArrayList<>();
    for (Map<String, Object> l : list(report, "latency")) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> perSecond = (List<Map<String, Object>>) l.get("perSecond");
      if (perSecond == null || perSecond.isEmpty()) {
        continue;
      }
      String name =
          String.format(
              Locale.ROOT,
              "%s %,.0f/s",
              l.get("guarantee").equals("EXACTLY_ONCE") ? "exactly-once" : "at-least-once",
              (Double) l.get("samplesPerSecond"));
      for (String q : List.of("p50Ms", "p99Ms")) {
        series.add(
            new io.streamsgd.bench.chart.LineChartPng.Series(
                name + " " + q.substring(0, 3),
                perSecond.stream()
                    .map(
                        p ->
                            new double[] {
                              ((Number) p.get("second")).doubleValue(),
                              Math.max(1, ((Number) p.get(q)).doubleValue())
                            })
                    .toList()));
      }
    }
    if (series.isEmpty()) {
      return false;
    }
    io.streamsgd.bench.chart.LineChartPng.write(
        file,
        "Sample-to-model latency by second sent",
        "second of the measurement",
        "latency (ms)",
        series,
        false,
        true);
    return true;
  }

  public static void chart(Map<String, Object> report, Path file) throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Map<String, Object> raw = map(report, "ceilings", "rawConsumer");
    Map<String, Object> decode = map(report, "ceilings", "sourceDecodeDiscard");
    if (raw != null) {
      data.addValue((Number) raw.get("recordsPerSecond"), "ceiling", "Kafka consumer, raw bytes");
    }
    if (decode != null) {
      data.addValue((Number) decode.get("recordsPerSecond"), "ceiling", "source + decode, discard");
    }
    for (Map<String, Object> r : list(report, "endToEnd")) {
      data.addValue((Number) r.get("samplesPerSecond"), "streamsgd end to end", runLabel(r));
    }
    Map<String, Object> peer = map(report, "peer");
    if (peer != null) {
      data.addValue(
          (Number) peer.get("examplesPerSecond"),
          "Vowpal Wabbit in memory",
          "Vowpal Wabbit, 1 thread, in memory");
    }
    barChart("Samples per second (" + report.get("cores") + " cores)", data, file);
  }

  /** Horizontal bars, one colour per series: grey ceilings, blue streamsgd, red the peer. */
  private static void barChart(String title, DefaultCategoryDataset data, Path file)
      throws IOException {
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            null,
            "records / samples per second",
            data,
            PlotOrientation.HORIZONTAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    CategoryAxis axis = plot.getDomainAxis();
    axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    axis.setMaximumCategoryLabelWidthRatio(0.45f);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setItemMargin(0);
    renderer.setSeriesPaint(0, new Color(0x7f, 0x7f, 0x7f));
    renderer.setSeriesPaint(1, new Color(0x1f, 0x77, 0xb4));
    renderer.setSeriesPaint(2, new Color(0xd6, 0x27, 0x28));
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 520);
  }

  static String hashedLabel(Map<String, Object> r) {
    return String.format(
        Locale.ROOT,
        "%,d model%s, batch %s",
        r.get("models"),
        ((Number) r.get("models")).intValue() == 1 ? "" : "s",
        r.get("batch"));
  }

  /**
   * The hashed section's rates: decode ceilings, batch 1 and 64 end to end, Vowpal Wabbit's two
   * paths; returns false when the report has no hashed section.
   */
  public static boolean hashedChart(Map<String, Object> report, Path file) throws IOException {
    Map<String, Object> hashed = map(report, "hashed");
    if (hashed == null) {
      return false;
    }
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map<String, Object> c : list(hashed, "decodeCeilings")) {
      data.addValue(
          (Number) c.get("recordsPerSecond"),
          "ceiling",
          String.format(
              Locale.ROOT, "source + decode, discard (%,d-model topic)", c.get("models")));
    }
    for (Map<String, Object> r : list(hashed, "endToEnd")) {
      data.addValue((Number) r.get("samplesPerSecond"), "streamsgd end to end", hashedLabel(r));
    }
    for (String path : List.of("arrays", "text")) {
      Map<String, Object> vw = map(hashed, "vowpalWabbit", path);
      if (vw != null) {
        data.addValue(
            (Number) vw.get("examplesPerSecond"),
            "Vowpal Wabbit in memory",
            "Vowpal Wabbit, " + path + ", 1 thread");
      }
    }
    barChart(
        "Hashed logistic model, 2^20 weights, 20 features a sample ("
            + report.get("cores")
            + " cores)",
        data,
        file);
    return true;
  }

  /**
   * "; 1.96 cores busy, 8.7 µs CPU/sample (broker 2.1, taskManager 5.9, ...)": the machine's busy
   * cores over a measured window and what they cost per sample, by process; empty without them.
   */
  @SuppressWarnings("unchecked")
  static String cpuNote(Map<String, Object> r) {
    Double cores = machineCores(r);
    Map<String, Double> micros = (Map<String, Double>) r.get("cpuMicrosPerSample");
    if (cores == null || micros == null) {
      return "";
    }
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "; %.2f cores busy, %.1f µs CPU/sample (",
                cores,
                micros.get(MachineCpu.MACHINE)));
    String sep = "";
    for (Map.Entry<String, Double> e : micros.entrySet()) {
      if (!e.getKey().equals(MachineCpu.MACHINE)) {
        b.append(String.format(Locale.ROOT, "%s%s %.1f", sep, e.getKey(), e.getValue()));
        sep = ", ";
      }
    }
    return b.append(")").toString();
  }

  /** "; the first, unmeasured run 645,241/s" for a ceiling measured on its second run. */
  private static String firstRunNote(Map<String, Object> ceiling) {
    Object first = ceiling.get("firstRunRecordsPerSecond");
    return first == null
        ? ""
        : String.format(Locale.ROOT, "; the first, unmeasured run %,.0f/s", (Double) first);
  }

  /** The machine's busy cores over a run's measured window, or null when not read. */
  @SuppressWarnings("unchecked")
  private static Double machineCores(Map<String, Object> r) {
    Map<String, Double> cores = (Map<String, Double>) r.get("busyCores");
    return cores == null ? null : cores.get(MachineCpu.MACHINE);
  }

  private static String busyCores(Map<String, Object> r) {
    Double cores = machineCores(r);
    return cores == null ? "–" : String.format(Locale.ROOT, "%.2f", cores);
  }

  /** The README's table (Markdown), every figure from this run. */
  public static String markdown(Map<String, Object> report) {
    StringBuilder b = new StringBuilder();
    Map<String, Object> raw = map(report, "ceilings", "rawConsumer");
    Map<String, Object> decode = map(report, "ceilings", "sourceDecodeDiscard");
    if (raw != null || !list(report, "endToEnd").isEmpty() || map(report, "peer") != null) {
      b.append("| path | samples/s | notes |\n|---|---:|---|\n");
    }
    if (raw != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "| ceiling: plain KafkaConsumer, raw bytes | %,.0f | %.0f MB/s%s%s |%n",
              (Double) raw.get("recordsPerSecond"),
              (Double) raw.get("bytesPerSecond") / 1e6,
              firstRunNote(raw),
              cpuNote(raw)));
    }
    if (decode != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "| ceiling: Flink Kafka source + the trainer's decoder, discard | %,.0f | parallelism 2%s%s |%n",
              (Double) decode.get("recordsPerSecond"),
              firstRunNote(decode),
              cpuNote(decode)));
    }
    for (Map<String, Object> r : list(report, "endToEnd")) {
      StringBuilder notes =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "batch %s, %,d updates, log loss %.4f",
                  r.get("batch"),
                  ((Number) r.get("modelUpdates")).longValue(),
                  (Double) r.get("prequentialLogLoss")));
      Map<String, Object> cp = map(r, "checkpoints");
      if (cp != null) {
        notes.append(
            String.format(
                Locale.ROOT,
                "; state %.0f MB, checkpoint %d ms (slowest %d ms)",
                ((Number) cp.get("fullStateBytes")).longValue() / 1e6,
                ((Number) cp.get("lastDurationMs")).longValue(),
                ((Number) cp.get("maxDurationMs")).longValue()));
      }
      notes.append(cpuNote(r));
      b.append(
          String.format(
              Locale.ROOT,
              "| end to end: %s | %,.0f | %s |%n",
              runLabel(r),
              (Double) r.get("samplesPerSecond"),
              notes));
    }
    Map<String, Object> peer = map(report, "peer");
    if (peer != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "| peer: Vowpal Wabbit 9.3.0, one thread, in memory | %,.0f | log loss %.4f |%n",
              (Double) peer.get("examplesPerSecond"),
              (Double) peer.get("progressiveLogLoss")));
    }
    List<Map<String, Object>> latency = list(report, "latency");
    if (!latency.isEmpty()) {
      b.append(
          "\n| latency, sample produced to model visible | samples/s asked | sent | p50 | p99 | max | of it, broker ack p99 | cores busy |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map<String, Object> l : latency) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s, %s models, batches of %s, checkpoints every %s ms, network buffer timeout %s ms, updates %s | %,.0f | %,.0f | %.1f ms | %.1f ms | %.1f ms | %s | %s |%n",
                l.get("guarantee").equals("EXACTLY_ONCE") ? "exactly-once" : "at-least-once",
                l.get("models"),
                l.get("batch"),
                l.get("checkpointIntervalMs"),
                l.get("networkBufferTimeoutMs"),
                l.get("compression"),
                (Double) l.get("samplesPerSecond"),
                (Double) l.getOrDefault("sentPerSecond", l.get("samplesPerSecond")),
                (Double) l.get("p50Ms"),
                (Double) l.get("p99Ms"),
                (Double) l.get("maxMs"),
                l.get("ackP99Ms") == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.1f ms", (Double) l.get("ackP99Ms")),
                busyCores(l)));
      }
    }
    hashedMarkdown(report, b);
    @SuppressWarnings("unchecked")
    Map<String, Object> ratios = (Map<String, Object>) report.get("ratios");
    if (ratios != null && !ratios.isEmpty()) {
      b.append("\n| ratio, from this run | value |\n|---|---:|\n");
      ratios.forEach(
          (what, value) ->
              b.append(String.format(Locale.ROOT, "| %s | %.2f |%n", what, (Double) value)));
    }
    return b.toString();
  }

  private static void hashedMarkdown(Map<String, Object> report, StringBuilder b) {
    Map<String, Object> hashed = map(report, "hashed");
    if (hashed == null) {
      return;
    }
    b.append(
        "\n| hashed logistic model, 2^20 weights, 20 named features a sample | samples/s | notes |\n"
            + "|---|---:|---|\n");
    for (Map<String, Object> c : list(hashed, "decodeCeilings")) {
      b.append(
          String.format(
              Locale.ROOT,
              "| ceiling: Flink Kafka source + the trainer's decoder, discard, %,d-model topic | %,.0f | parallelism 2 |%n",
              c.get("models"),
              (Double) c.get("recordsPerSecond")));
    }
    for (Map<String, Object> r : list(hashed, "endToEnd")) {
      Map<String, Object> cp = map(r, "checkpoints");
      b.append(
          String.format(
              Locale.ROOT,
              "| end to end: %s, exactly-once, hashmap | %,.0f | published every %s samples: %,d versions, %.1f MB; log loss %.4f%s |%n",
              hashedLabel(r),
              (Double) r.get("samplesPerSecond"),
              r.get("publishEverySamples"),
              ((Number) r.get("modelUpdates")).longValue(),
              ((Number) r.get("publishedBytes")).longValue() / 1e6,
              (Double) r.get("prequentialLogLoss"),
              cp == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      "; state %.0f MB, checkpoint %d ms (slowest %d ms)",
                      ((Number) cp.get("fullStateBytes")).longValue() / 1e6,
                      ((Number) cp.get("lastDurationMs")).longValue(),
                      ((Number) cp.get("maxDurationMs")).longValue())));
    }
    Map<String, Object> vw = map(hashed, "vowpalWabbit");
    for (String path : List.of("arrays", "text")) {
      Map<String, Object> p = map(hashed, "vowpalWabbit", path);
      if (p != null) {
        b.append(
            String.format(
                Locale.ROOT,
                "| peer: Vowpal Wabbit 9.3.0, %s, one thread, in memory | %,.0f | %,d examples, log loss %.4f |%n",
                path.equals("arrays") ? "native example API (sparse namespace)" : "text learner",
                (Double) p.get("examplesPerSecond"),
                ((Number) vw.get("examples")).longValue(),
                (Double) p.get("progressiveLogLoss")));
      }
    }
    List<Map<String, Object>> ratios = list(hashed, "ratios");
    if (!ratios.isEmpty()) {
      b.append("\n| hashed ratio, from this run | value | goal |\n|---|---:|---|\n");
      for (Map<String, Object> r : ratios) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %s |%n",
                r.get("ratio"),
                (Double) r.get("value"),
                r.containsKey("goal")
                    ? String.format(
                        Locale.ROOT,
                        ">= %.1f: %s",
                        (Double) r.get("goal"),
                        (Boolean) r.get("met") ? "met" : "not met")
                    : ""));
      }
    }
  }
}
