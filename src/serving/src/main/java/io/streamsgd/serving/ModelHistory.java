package io.streamsgd.serving;

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
   * A model's curve: its task and loss, the points kept (oldest first, the latest update last) and
   * the latest update.
   */
  public record Curve(String modelId, String task, String loss, List<Point> points) {
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
    s.add(Point.of(u));
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
    Point latest;
    long arrivals;
    long stride = 1;

    Series(String task, String loss) {
      this.task = task;
      this.loss = loss;
    }

    synchronized void add(Point p) {
      if (latest != null && p.version() <= latest.version()) {
        return;
      }
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
      return Optional.of(new Curve(id, task, loss, List.copyOf(out)));
    }
  }
}
