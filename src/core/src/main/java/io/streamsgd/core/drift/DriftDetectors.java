package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Makes detectors by kind, with parameters named as River names them, and reads written detectors
 * back.
 *
 * <table>
 *   <caption>Parameters by kind (River's defaults)</caption>
 *   <tr><th>kind</th><th>parameters</th></tr>
 *   <tr><td>adwin</td><td>delta (0.002), clock (32), max_buckets (5), min_window_length (5),
 *       grace_period (10)</td></tr>
 *   <tr><td>page_hinkley</td><td>min_instances (30), delta (0.005), threshold (50),
 *       alpha (1 - 0.0001), mode ("both"; "up", "down")</td></tr>
 *   <tr><td>ddm</td><td>warm_start (30), warning_threshold (2), drift_threshold (3)</td></tr>
 *   <tr><td>eddm</td><td>warm_start (30), alpha (0.95), beta (0.9)</td></tr>
 * </table>
 */
public final class DriftDetectors {
  private DriftDetectors() {}

  /** A detector of this kind with River's defaults. */
  public static DriftDetector create(DriftDetectorKind kind) {
    return create(kind, Map.of());
  }

  /**
   * A detector of this kind; parameters not given take River's defaults.
   *
   * @param params values by River's parameter names: numbers, and a string for Page-Hinkley's mode
   * @throws IllegalArgumentException for a parameter the kind does not have, a value of the wrong
   *     type (a fraction where a count is expected), or one out of range
   */
  public static DriftDetector create(DriftDetectorKind kind, Map<String, ?> params) {
    Params p = new Params(kind, params);
    DriftDetector detector =
        switch (kind) {
          case ADWIN ->
              new Adwin(
                  p.real("delta", Adwin.DEFAULT_DELTA),
                  p.integer("clock", Adwin.DEFAULT_CLOCK),
                  p.integer("max_buckets", Adwin.DEFAULT_MAX_BUCKETS),
                  p.integer("min_window_length", Adwin.DEFAULT_MIN_WINDOW_LENGTH),
                  p.integer("grace_period", Adwin.DEFAULT_GRACE_PERIOD));
          case PAGE_HINKLEY ->
              new PageHinkley(
                  p.integer("min_instances", PageHinkley.DEFAULT_MIN_INSTANCES),
                  p.real("delta", PageHinkley.DEFAULT_DELTA),
                  p.real("threshold", PageHinkley.DEFAULT_THRESHOLD),
                  p.real("alpha", PageHinkley.DEFAULT_ALPHA),
                  PageHinkley.Mode.of(p.text("mode", "both")));
          case DDM ->
              new Ddm(
                  p.integer("warm_start", Ddm.DEFAULT_WARM_START),
                  p.real("warning_threshold", Ddm.DEFAULT_WARNING_THRESHOLD),
                  p.real("drift_threshold", Ddm.DEFAULT_DRIFT_THRESHOLD));
          case EDDM ->
              new Eddm(
                  p.integer("warm_start", Eddm.DEFAULT_WARM_START),
                  p.real("alpha", Eddm.DEFAULT_ALPHA),
                  p.real("beta", Eddm.DEFAULT_BETA));
        };
    p.requireAllUsed();
    return detector;
  }

  /**
   * Reads a detector written by {@link DriftDetector#writeTo}.
   *
   * @throws IOException if the input ends early or does not hold a detector's state
   */
  public static DriftDetector read(DataInput in) throws IOException {
    DriftDetectorKind kind = StateIo.readHeader(in);
    return switch (kind) {
      case ADWIN -> Adwin.readBody(in);
      case PAGE_HINKLEY -> PageHinkley.readBody(in);
      case DDM -> Ddm.readBody(in);
      case EDDM -> Eddm.readBody(in);
    };
  }

  private static final class Params {
    private final DriftDetectorKind kind;
    private final Map<String, ?> values;
    private final TreeSet<String> unused;

    Params(DriftDetectorKind kind, Map<String, ?> values) {
      this.kind = kind;
      this.values = values;
      this.unused = new TreeSet<>(values.keySet());
    }

    private Object get(String name) {
      unused.remove(name);
      return values.get(name);
    }

    double real(String name, double fallback) {
      Object v = get(name);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Number number)) {
        throw wrongType(name, v, "a number");
      }
      return number.doubleValue();
    }

    int integer(String name, int fallback) {
      Object v = get(name);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Number number)) {
        throw wrongType(name, v, "a whole number");
      }
      double d = number.doubleValue();
      if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
        throw wrongType(name, v, "a whole number");
      }
      return (int) d;
    }

    String text(String name, String fallback) {
      Object v = get(name);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof CharSequence s)) {
        throw wrongType(name, v, "a string");
      }
      return s.toString();
    }

    private IllegalArgumentException wrongType(String name, Object v, String expected) {
      return new IllegalArgumentException(
          kind.id() + " parameter " + name + " must be " + expected + ", got " + v);
    }

    void requireAllUsed() {
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException(
            kind.id()
                + " has no parameter(s) "
                + unused
                + "; see DriftDetectors for its parameters");
      }
    }
  }
}
