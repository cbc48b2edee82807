package io.streamsgd.serving;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live dashboard: {@code GET /dashboard} is one static page (plain HTML and JavaScript that
 * draws its charts as inline SVG: no build step, nothing fetched from elsewhere), which polls
 * {@code GET /dashboard/data} every second for every model's curve from {@link ModelHistory}. Every
 * instance reads the whole models topic, so any of them shows all models.
 */
final class DashboardRoutes {
  private static final String PAGE = "dashboard.html";

  private final ModelHistory history;
  private final String page;

  DashboardRoutes(ModelHistory history) {
    this.history = history;
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + PAGE + " missing from the serving jar");
      }
      this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void addTo(Javalin javalin) {
    javalin
        .get("/", ctx -> ctx.redirect("/dashboard"))
        .get("/dashboard", ctx -> ctx.contentType("text/html; charset=utf-8").result(page))
        .get("/dashboard/data", this::data);
  }

  /**
   * Every model's curve as {@code points: [[publishedAt, version, samplesSeen, loss, batchLoss,
   * batchSize], ...]} (arrays, not objects: a few hundred points per model poll every second) and
   * its drift marks as {@code marks: [[publishedAt, kind, version, sample], ...]}, with the
   * server's clock so the page computes ages without trusting the browser's.
   */
  private void data(Context ctx) {
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelHistory.Curve c : history.curves()) {
      ModelHistory.Point last = c.latest();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("modelId", c.modelId());
      m.put("task", c.task());
      m.put("loss", c.loss());
      m.put("version", last.version());
      m.put("samplesSeen", last.samplesSeen());
      m.put("prequentialLoss", finite(last.loss()));
      m.put("batchLoss", finite(last.batchLoss()));
      m.put("batchSize", last.batchSize());
      m.put("publishedAt", last.publishedAt());
      List<Object[]> points = new ArrayList<>(c.points().size());
      for (ModelHistory.Point p : c.points()) {
        points.add(
            new Object[] {
              p.publishedAt(),
              p.version(),
              p.samplesSeen(),
              finite(p.loss()),
              finite(p.batchLoss()),
              p.batchSize()
            });
      }
      m.put("points", points);
      m.put(
          "marks",
          c.marks().stream()
              .map(k -> new Object[] {k.publishedAt(), k.kind(), k.version(), k.sample()})
              .toList());
      models.add(m);
    }
    ctx.header("Cache-Control", "no-store")
        .json(Map.of("now", System.currentTimeMillis(), "models", models));
  }

  /** JSON has no NaN or infinity: an undefined loss is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
