package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * DDM, the drift detection method: J. Gama, P. Medas, G. Castillo and P. Rodrigues, "Learning with
 * drift detection", SBIA 2004 (Brazilian Symposium on Artificial Intelligence), LNCS 3171, 286-295.
 *
 * <p>Reads a classifier's errors, 1 for a wrong prediction and 0 for a right one. With p_i the
 * error rate over the i samples since the start and s_i = sqrt(p_i (1 - p_i) / i) its standard
 * deviation, it records p_min and s_min where p_i + s_i was lowest, and, past the first {@code
 * warmStart} samples, reports
 *
 * <ul>
 *   <li>a warning when p_i + s_i &gt; p_min + warningThreshold · s_min (2 by default, about 95%
 *       confidence),
 *   <li>a change when p_i + s_i &gt; p_min + driftThreshold · s_min (3 by default, about 99%).
 * </ul>
 *
 * <p>This follows River's {@code river.drift.binary.DDM} step for step, defaults included
 * (warm_start 30, warning_threshold 2, drift_threshold 3): the comparisons are strict, as in
 * River's code (its docstring writes ≥), the minimum is taken over samples after the warm start
 * only (ties move it to the later sample), and the detector starts over on the sample after a
 * change.
 */
public final class Ddm implements DriftDetector {
  public static final int DEFAULT_WARM_START = 30;
  public static final double DEFAULT_WARNING_THRESHOLD = 2.0;
  public static final double DEFAULT_DRIFT_THRESHOLD = 3.0;

  private final int warmStart;
  private final double warningThreshold;
  private final double driftThreshold;

  /** Samples since the start, as River's running mean counts them (a double). */
  private double n;

  /** Error rate since the start. */
  private double p;

  private double pMin;
  private double sMin;
  private double psMin;

  private boolean drift;
  private boolean warning;
  private long samplesSeen;
  private long driftsDetected;

  /** DDM with River's defaults. */
  public Ddm() {
    this(DEFAULT_WARM_START, DEFAULT_WARNING_THRESHOLD, DEFAULT_DRIFT_THRESHOLD);
  }

  /**
   * @param warmStart samples before a warning or change may be reported
   * @param warningThreshold standard deviations above the minimum that make a warning, positive
   * @param driftThreshold standard deviations above the minimum that make a change, at least {@code
   *     warningThreshold}
   */
  public Ddm(int warmStart, double warningThreshold, double driftThreshold) {
    if (warmStart < 0) {
      throw new IllegalArgumentException("DDM warm_start must not be negative, got " + warmStart);
    }
    if (!(warningThreshold > 0) || Double.isInfinite(warningThreshold)) {
      throw new IllegalArgumentException(
          "DDM warning_threshold must be finite and positive, got " + warningThreshold);
    }
    if (!(driftThreshold >= warningThreshold) || Double.isInfinite(driftThreshold)) {
      throw new IllegalArgumentException(
          "DDM drift_threshold must be finite and at least warning_threshold "
              + warningThreshold
              + ", got "
              + driftThreshold);
    }
    this.warmStart = warmStart;
    this.warningThreshold = warningThreshold;
    this.driftThreshold = driftThreshold;
    restart();
  }

  private void restart() {
    n = 0;
    p = 0.0;
    pMin = Double.POSITIVE_INFINITY;
    sMin = Double.POSITIVE_INFINITY;
    psMin = Double.POSITIVE_INFINITY;
    drift = false;
    warning = false;
  }

  /**
   * @param error 1 for a wrong prediction, 0 for a right one
   */
  @Override
  public DriftSignal update(double error) {
    StateIo.requireBinary(error);
    if (drift) {
      restart();
    }
    samplesSeen++;
    n += 1.0;
    p += (1.0 / n) * (error - p);
    double s = Math.sqrt(p * (1 - p) / n);
    if (n > warmStart) {
      if (p + s <= psMin) {
        pMin = p;
        sMin = s;
        psMin = pMin + sMin;
      }
      warning = p + s > pMin + warningThreshold * sMin;
      if (p + s > pMin + driftThreshold * sMin) {
        drift = true;
        warning = false;
        driftsDetected++;
      }
    }
    return StateIo.signal(drift, warning);
  }

  /** The error rate p_i since the start. */
  public double errorRate() {
    return p;
  }

  /** The error rate's standard deviation s_i = sqrt(p_i (1 - p_i) / i); 0 before any sample. */
  public double errorStd() {
    return n == 0 ? 0.0 : Math.sqrt(p * (1 - p) / n);
  }

  /** p_min, infinite until the warm start is over. */
  public double minErrorRate() {
    return pMin;
  }

  /** s_min, infinite until the warm start is over. */
  public double minErrorStd() {
    return sMin;
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
    return DriftDetectorKind.DDM;
  }

  public int warmStart() {
    return warmStart;
  }

  public double warningThreshold() {
    return warningThreshold;
  }

  public double driftThreshold() {
    return driftThreshold;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    StateIo.writeHeader(out, kind());
    out.writeInt(warmStart);
    StateIo.writeDouble(out, warningThreshold);
    StateIo.writeDouble(out, driftThreshold);
    out.writeLong(samplesSeen);
    out.writeLong(driftsDetected);
    out.writeBoolean(drift);
    out.writeBoolean(warning);
    StateIo.writeDouble(out, n);
    StateIo.writeDouble(out, p);
    StateIo.writeDouble(out, pMin);
    StateIo.writeDouble(out, sMin);
    StateIo.writeDouble(out, psMin);
  }

  /** Reads the fields {@link #writeTo} wrote after the header. */
  static Ddm readBody(DataInput in) throws IOException {
    int warmStart = in.readInt();
    double warningThreshold = StateIo.readDouble(in);
    double driftThreshold = StateIo.readDouble(in);
    Ddm d = StateIo.params(() -> new Ddm(warmStart, warningThreshold, driftThreshold));
    d.samplesSeen = StateIo.readCount(in, "sample count");
    d.driftsDetected = StateIo.readCount(in, "drift count");
    d.drift = in.readBoolean();
    d.warning = in.readBoolean();
    d.n = StateIo.readDouble(in);
    d.p = StateIo.readDouble(in);
    d.pMin = StateIo.readDouble(in);
    d.sMin = StateIo.readDouble(in);
    d.psMin = StateIo.readDouble(in);
    return d;
  }
}
