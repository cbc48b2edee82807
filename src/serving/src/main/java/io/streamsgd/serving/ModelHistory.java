package io.streamsgd.serving;

import io.streamsgd.schema.DriftStatus;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each model got where it is: per model id, a bounded series of (publish time, version, samples
 * seen, prequential loss, batch loss, batch size), for the dashboard's curves and the demo's chart.
 * Memory stays bounded however long a model trains: a full series drops every other point and from
 * then on keeps every second update, so it always spans the whole history at an even resolution (at
 * most {@code pointsPerModel} points, plus the latest update).
 */
public final class ModelHistory {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHistory.class);

  /** One version of a model, as the curves need it. */
  public record Point(
      long publishedAt,
      long version,
      long samplesSeen,
      double loss,
      double batchLoss,
      int batchSize) {
    static Point of(ModelUpdate u) {
      return new Point(
          u.getPublishedAt().toEpochMilli(),
          u.getVersion(),
          u.getSamplesSeen(),
          u.getMetrics().getMeanLoss(),
          u.getMetrics().getBatchMeanLoss(),
          u.getBatchSize());
    }
  }

  /**
   * Where a model's drift detection showed on its curve: the first update that counted a new
   * warning or drift ({@code sample}: the drift's own sample, else the update's samples seen), or
   * the first of a new lineage.
   */
  public record Mark(long publishedAt, long version, long sample, String kind) {}

  /** Marks kept per model, the latest ones. */
  static final int MARKS_PER_MODEL = 50;

  /**
   * A model's curve: its task and loss, the points kept (oldest first, the latest update last) and
   * its drift marks (oldest first).
   */
  public record Curve(
      String modelId, String task, String loss, List<Point> points, List<Mark> marks) {
    public Point latest() {
      return points.get(points.size() - 1);
    }
  }

  private final int pointsPerModel;
  private final int maxModels;
  private final Map<String, Series> series = new ConcurrentHashMap<>();
  private final AtomicBoolean warnedFull = new AtomicBoolean();

  /**
   * @param pointsPerModel points kept per model before halving the resolution (even, at least 4)
   * @param maxModels models tracked; updates of further models are not recorded (logged once)
   */
  public ModelHistory(int pointsPerModel, int maxModels) {
    if (pointsPerModel < 4 || pointsPerModel % 2 != 0) {
      throw new IllegalArgumentException(
          "pointsPerModel must be even and >= 4, got " + pointsPerModel);
    }
    this.pointsPerModel = pointsPerModel;
    this.maxModels = maxModels;
  }

  /** Records an update; older and duplicate versions (replays) are ignored. */
  public void record(ModelUpdate u) {
    Series s = series.get(u.getModelId());
    if (s == null) {
      if (series.size() >= maxModels) {
        if (warnedFull.compareAndSet(false, true)) {
          LOG.warn(
              "Model history holds {} models; the curves of further models are not kept",
              maxModels);
        }
        return;
      }
      s =
          series.computeIfAbsent(
              u.getModelId(),
              id -> new Series(u.getSpec().getTask().name(), u.getSpec().getLoss().name()));
    }
    s.add(u);
  }

  /** Every model's curve, by model id. */
  public List<Curve> curves() {
    List<Curve> out = new ArrayList<>();
    series.forEach((id, s) -> s.curve(id).ifPresent(out::add));
    out.sort(Comparator.comparing(Curve::modelId));
    return out;
  }

  /** The latest point of every model: what the gauges read. */
  public List<Point> latestPoints() {
    List<Point> out = new ArrayList<>();
    series.values().forEach(s -> s.latest().ifPresent(out::add));
    return out;
  }

  public int models() {
    return series.size();
  }

  /** One model's points; writers and readers lock it briefly. */
  private final class Series {
    final String task;
    final String loss;
    final List<Point> points = new ArrayList<>();
    final List<Mark> marks = new ArrayList<>();
    ModelUpdate latestUpdate;
    Point latest;
    long arrivals;
    long stride = 1;

    Series(String task, String loss) {
      this.task = task;
      this.loss = loss;
    }

    synchronized void add(ModelUpdate u) {
      if (latest != null && u.getVersion() <= latest.version()) {
        return;
      }
      Point p = Point.of(u);
      mark(u);
      latestUpdate = u;
      latest = p;
      // Points are kept at arrivals 0, stride, 2 * stride, ...; halving keeps the even ones of
      // those, which are exactly the multiples of the doubled stride.
      if (arrivals++ % stride == 0) {
        points.add(p);
        if (points.size() >= pointsPerModel) {
          List<Point> kept = new ArrayList<>(pointsPerModel / 2);
          for (int i = 0; i < points.size(); i += 2) {
            kept.add(points.get(i));
          }
          points.clear();
          points.addAll(kept);
          stride *= 2;
        }
      }
    }

    /** What changed since the previous update this history took. */
    private void mark(ModelUpdate u) {
      DriftStatus before = latestUpdate == null ? null : latestUpdate.getDrift();
      DriftStatus now = u.getDrift();
      long at = u.getPublishedAt().toEpochMilli();
      if (now != null && now.getWarnings() > (before == null ? 0 : before.getWarnings())) {
        addMark(new Mark(at, u.getVersion(), u.getSamplesSeen(), "warning"));
      }
      if (now != null && now.getDrifts() > (before == null ? 0 : before.getDrifts())) {
        addMark(new Mark(at, u.getVersion(), now.getLastDriftSample(), "drift"));
      }
      if (latestUpdate != null && u.getLineage() > latestUpdate.getLineage()) {
        addMark(new Mark(at, u.getVersion(), u.getSamplesSeen(), "new lineage"));
      }
    }

    private void addMark(Mark m) {
      if (marks.size() == MARKS_PER_MODEL) {
        marks.remove(0);
      }
      marks.add(m);
    }

    synchronized Optional<Point> latest() {
      return Optional.ofNullable(latest);
    }

    synchronized Optional<Curve> curve(String id) {
      if (latest == null) {
        return Optional.empty();
      }
      List<Point> out = new ArrayList<>(points.size() + 1);
      out.addAll(points);
      if (out.get(out.size() - 1) != latest) {
        out.add(latest);
      }
      return Optional.of(new Curve(id, task, loss, List.copyOf(out), List.copyOf(marks)));
    }
  }
}
