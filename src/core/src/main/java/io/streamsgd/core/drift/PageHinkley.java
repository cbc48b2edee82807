package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * The Page-Hinkley test: E. S. Page, "Continuous inspection schemes", Biometrika 41 (1954) 100-115;
 * D. V. Hinkley, "Inference about the change-point from cumulative sum tests", Biometrika 58 (1971)
 * 509-523. Two-sided, as in R. Sebastião and J. M. Fernandes, "Supporting the Page-Hinkley test
 * with empirical mode decomposition for change detection", ISMIS 2017.
 *
 * <p>With x̄_t the running mean of the samples so far, it keeps two faded cumulative sums of the
 * deviations,
 *
 * <pre>
 *   U_t = alpha U_{t-1} + (x_t - x̄_t) - delta     (rises when the mean goes up)
 *   L_t = alpha L_{t-1} + (x_t - x̄_t) + delta     (falls when the mean goes down)
 * </pre>
 *
 * and their extremes min U and max L, and reports a change once at least {@code minInstances}
 * samples were seen and U_t - min U &gt; lambda (mode up), max L - L_t &gt; lambda (down), or
 * either (both). It gives no warnings. lambda is in the units of the input: with alpha near 1 the
 * sums wander by about sd(x) / sqrt(1 - alpha²), about 70 sd(x) for the default alpha, so the
 * default lambda of 50 suits inputs whose standard deviation is well under 1; scale it with the
 * input.
 *
 * <p>This follows River's {@code river.drift.PageHinkley} step for step, defaults included
 * (min_instances 30, delta 0.005, threshold 50, alpha 1 - 0.0001, mode both): the detector starts
 * over on the sample after a change.
 */
public final class PageHinkley implements DriftDetector {
  public static final int DEFAULT_MIN_INSTANCES = 30;
  public static final double DEFAULT_DELTA = 0.005;
  public static final double DEFAULT_THRESHOLD = 50.0;
  public static final double DEFAULT_ALPHA = 1 - 0.0001;

  /** Which changes of the mean are reported. Written in state as its ordinal: keep the order. */
  public enum Mode {
    UP,
    DOWN,
    BOTH;

    /** up, down or both (case-insensitive). */
    public static Mode of(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Page-Hinkley mode must be up, down or both, got '" + name + "'", e);
      }
    }
  }

  private final int minInstances;
  private final double delta;
  private final double threshold;
  private final double alpha;
  private final Mode mode;

  /** Samples since the start, as River's running mean counts them (a double). */
  private double n;

  private double mean;
  private double sumIncrease;
  private double sumDecrease;
  private double minIncrease;
  private double maxDecrease;

  private boolean drift;
  private long samplesSeen;
  private long driftsDetected;

  /** Page-Hinkley with River's defaults. */
  public PageHinkley() {
    this(DEFAULT_MIN_INSTANCES, DEFAULT_DELTA, DEFAULT_THRESHOLD, DEFAULT_ALPHA, Mode.BOTH);
  }

  /**
   * @param minInstances samples before a change may be reported
   * @param delta magnitude of change tolerated (subtracted from each upward deviation, added to
   *     each downward one); not negative
   * @param threshold lambda, the detection threshold, positive
   * @param alpha forgetting factor of the cumulative sums, in (0, 1]
   * @param mode which direction of change to report
   */
  public PageHinkley(int minInstances, double delta, double threshold, double alpha, Mode mode) {
    if (minInstances < 0) {
      throw new IllegalArgumentException(
          "Page-Hinkley min_instances must not be negative, got " + minInstances);
    }
    if (!(delta >= 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException(
          "Page-Hinkley delta must be finite and not negative, got " + delta);
    }
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException(
          "Page-Hinkley threshold must be finite and positive, got " + threshold);
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("Page-Hinkley alpha must be in (0, 1], got " + alpha);
    }
    if (mode == null) {
      throw new IllegalArgumentException("Page-Hinkley mode must be up, down or both");
    }
    this.minInstances = minInstances;
    this.delta = delta;
    this.threshold = threshold;
    this.alpha = alpha;
    this.mode = mode;
    restart();
  }

  private void restart() {
    n = 0;
    mean = 0.0;
    sumIncrease = 0.0;
    sumDecrease = 0.0;
    minIncrease = Double.POSITIVE_INFINITY;
    maxDecrease = -1; // as River; the first sample's L (= delta) replaces it
    drift = false;
  }

  @Override
  public DriftSignal update(double x) {
    StateIo.requireFinite(x);
    if (drift) {
      restart();
    }
    samplesSeen++;
    n += 1.0;
    mean += (1.0 / n) * (x - mean);
    double dev = x - mean;
    sumIncrease = alpha * sumIncrease + dev - delta;
    sumDecrease = alpha * sumDecrease + dev + delta;
    if (sumIncrease < minIncrease) {
      minIncrease = sumIncrease;
    }
    if (sumDecrease > maxDecrease) {
      maxDecrease = sumDecrease;
    }
    if (n >= minInstances) {
      boolean up = sumIncrease - minIncrease > threshold;
      boolean down = maxDecrease - sumDecrease > threshold;
      drift =
          switch (mode) {
            case UP -> up;
            case DOWN -> down;
            case BOTH -> up || down;
          };
    }
    if (drift) {
      driftsDetected++;
    }
    return drift ? DriftSignal.DRIFT : DriftSignal.STABLE;
  }

  /** U_t - min U, the statistic for an increase of the mean. */
  public double increaseStatistic() {
    return n == 0 ? 0.0 : sumIncrease - minIncrease;
  }

  /** max L - L_t, the statistic for a decrease of the mean. */
  public double decreaseStatistic() {
    return n == 0 ? 0.0 : maxDecrease - sumDecrease;
  }

  /** The running mean x̄_t since the start. */
  public double mean() {
    return mean;
  }

  @Override
  public void reset() {
    restart();
    samplesSeen = 0;
    driftsDetected = 0;
  }

  @Override
  public long samplesSeen() {
    return samplesSeen;
  }

  @Override
  public long driftsDetected() {
    return driftsDetected;
  }

  @Override
  public DriftDetectorKind kind() {
    return DriftDetectorKind.PAGE_HINKLEY;
  }

  public int minInstances() {
    return minInstances;
  }

  public double delta() {
    return delta;
  }

  public double threshold() {
    return threshold;
  }

  public double alpha() {
    return alpha;
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    StateIo.writeHeader(out, kind());
    out.writeInt(minInstances);
    StateIo.writeDouble(out, delta);
    StateIo.writeDouble(out, threshold);
    StateIo.writeDouble(out, alpha);
    out.writeByte(mode.ordinal());
    out.writeLong(samplesSeen);
    out.writeLong(driftsDetected);
    out.writeBoolean(drift);
    StateIo.writeDouble(out, n);
    StateIo.writeDouble(out, mean);
    StateIo.writeDouble(out, sumIncrease);
    StateIo.writeDouble(out, sumDecrease);
    StateIo.writeDouble(out, minIncrease);
    StateIo.writeDouble(out, maxDecrease);
  }

  /** Reads the fields {@link #writeTo} wrote after the header. */
  static PageHinkley readBody(DataInput in) throws IOException {
    int minInstances = in.readInt();
    double delta = StateIo.readDouble(in);
    double threshold = StateIo.readDouble(in);
    double alpha = StateIo.readDouble(in);
    int modeCode = in.readUnsignedByte();
    if (modeCode >= Mode.values().length) {
      throw new IOException("unknown Page-Hinkley mode code " + modeCode);
    }
    Mode mode = Mode.values()[modeCode];
    PageHinkley p =
        StateIo.params(() -> new PageHinkley(minInstances, delta, threshold, alpha, mode));
    p.samplesSeen = StateIo.readCount(in, "sample count");
    p.driftsDetected = StateIo.readCount(in, "drift count");
    p.drift = in.readBoolean();
    p.n = StateIo.readDouble(in);
    p.mean = StateIo.readDouble(in);
    p.sumIncrease = StateIo.readDouble(in);
    p.sumDecrease = StateIo.readDouble(in);
    p.minIncrease = StateIo.readDouble(in);
    p.maxDecrease = StateIo.readDouble(in);
    return p;
  }
}
