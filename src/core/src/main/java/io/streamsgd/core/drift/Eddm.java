package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * EDDM, the early drift detection method: M. Baena-García, J. del Campo-Ávila, R. Fidalgo, A.
 * Bifet, R. Gavaldà and R. Morales-Bueno, "Early drift detection method", Fourth International
 * Workshop on Knowledge Discovery from Data Streams, 2006.
 *
 * <p>Reads a classifier's errors, 1 for a wrong prediction and 0 for a right one, and watches the
 * distance (in samples) between consecutive errors: a learner that gets worse errs more often. With
 * p'_i and s'_i the mean and standard deviation of the distances so far, and p'_max + 2 s'_max the
 * highest p'_i + 2 s'_i seen, each error past the warm start gives the level (p'_i + 2 s'_i) /
 * (p'_max + 2 s'_max), and
 *
 * <ul>
 *   <li>a level below {@code beta} (0.9 by default) is a change,
 *   <li>a level below {@code alpha} (0.95 by default) a warning.
 * </ul>
 *
 * <p>This follows River's {@code river.drift.binary.EDDM} step for step, defaults included
 * (warm_start 30, alpha 0.95, beta 0.9): the level is computed once more than {@code warmStart}
 * samples were seen, but compared with alpha and beta only once more than {@code warmStart} errors
 * were seen, and only when p'_i + 2 s'_i is not a new maximum; the warning is re-assessed at errors
 * only, so it holds through the right predictions that follow; s'_i is the sample standard
 * deviation (n - 1 divisor); and the detector starts over on the sample after a change. With the
 * defaults EDDM raises false alarms on stationary streams (the maximum is taken over noisy early
 * estimates); River's own example lowers alpha and beta to 0.8 and 0.75.
 */
public final class Eddm implements DriftDetector {
  public static final int DEFAULT_WARM_START = 30;
  public static final double DEFAULT_ALPHA = 0.95;
  public static final double DEFAULT_BETA = 0.9;

  private final int warmStart;
  private final double alpha;
  private final double beta;

  private long n;
  private long lastError;
  private long errors;

  // running mean and sum of squared deviations of the distances between errors, as River's
  // stats.Var (Welford)
  private double distanceCount;
  private double distanceMean;
  private double distanceSquares;

  private double maxLevel;

  private boolean drift;
  private boolean warning;
  private long samplesSeen;
  private long driftsDetected;

  /** EDDM with River's defaults. */
  public Eddm() {
    this(DEFAULT_WARM_START, DEFAULT_ALPHA, DEFAULT_BETA);
  }

  /**
   * @param warmStart samples, and errors, before a change may be reported
   * @param alpha warning level, in (0, 1]
   * @param beta change level, in (0, alpha]
   */
  public Eddm(int warmStart, double alpha, double beta) {
    if (warmStart < 0) {
      throw new IllegalArgumentException("EDDM warm_start must not be negative, got " + warmStart);
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("EDDM alpha must be in (0, 1], got " + alpha);
    }
    if (!(beta > 0 && beta <= alpha)) {
      throw new IllegalArgumentException(
          "EDDM beta must be in (0, alpha = " + alpha + "], got " + beta);
    }
    this.warmStart = warmStart;
    this.alpha = alpha;
    this.beta = beta;
    restart();
  }

  private void restart() {
    n = 0;
    lastError = 0;
    errors = 0;
    distanceCount = 0;
    distanceMean = 0.0;
    distanceSquares = 0.0;
    maxLevel = -1;
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
    n++;
    if (error == 1.0) {
      errors++;
      double distance = (double) (n - lastError);
      double meanBefore = distanceMean;
      distanceCount += 1.0;
      distanceMean += (1.0 / distanceCount) * (distance - distanceMean);
      distanceSquares += (distance - meanBefore) * (distance - distanceMean);
      if (n > warmStart) {
        // River takes the variance ** 0.5; sqrt is its correctly rounded value
        double p2s = distanceMean + 2 * Math.sqrt(distanceVariance());
        if (p2s > maxLevel) {
          maxLevel = p2s;
        } else if (errors > warmStart) {
          double level = p2s / maxLevel;
          if (level < beta) {
            drift = true;
            driftsDetected++;
          } else {
            warning = level < alpha;
          }
        }
      }
      lastError = n;
    }
    return StateIo.signal(drift, warning);
  }

  private double distanceVariance() {
    return distanceCount > 1 ? distanceSquares / (distanceCount - 1) : 0.0;
  }

  /**
   * p', the mean distance between errors so far; the first error's distance is counted from the
   * start (its 1-based index).
   */
  public double meanDistance() {
    return distanceMean;
  }

  /** s', the sample standard deviation of the distances between errors so far. */
  public double distanceStd() {
    return Math.sqrt(distanceVariance());
  }

  /** p'_max + 2 s'_max, or -1 before the warm start is over. */
  public double maxMeanPlusTwoStd() {
    return maxLevel;
  }

  /** Errors since the start. */
  public long errors() {
    return errors;
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
    return DriftDetectorKind.EDDM;
  }

  public int warmStart() {
    return warmStart;
  }

  public double alpha() {
    return alpha;
  }

  public double beta() {
    return beta;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    StateIo.writeHeader(out, kind());
    out.writeInt(warmStart);
    StateIo.writeDouble(out, alpha);
    StateIo.writeDouble(out, beta);
    out.writeLong(samplesSeen);
    out.writeLong(driftsDetected);
    out.writeBoolean(drift);
    out.writeBoolean(warning);
    out.writeLong(n);
    out.writeLong(lastError);
    out.writeLong(errors);
    StateIo.writeDouble(out, distanceCount);
    StateIo.writeDouble(out, distanceMean);
    StateIo.writeDouble(out, distanceSquares);
    StateIo.writeDouble(out, maxLevel);
  }

  /** Reads the fields {@link #writeTo} wrote after the header. */
  static Eddm readBody(DataInput in) throws IOException {
    int warmStart = in.readInt();
    double alpha = StateIo.readDouble(in);
    double beta = StateIo.readDouble(in);
    Eddm e = StateIo.params(() -> new Eddm(warmStart, alpha, beta));
    e.samplesSeen = StateIo.readCount(in, "sample count");
    e.driftsDetected = StateIo.readCount(in, "drift count");
    e.drift = in.readBoolean();
    e.warning = in.readBoolean();
    e.n = StateIo.readCount(in, "sample index");
    e.lastError = StateIo.readCount(in, "last error index");
    e.errors = StateIo.readCount(in, "error count");
    if (e.lastError > e.n || e.errors > e.n) {
      throw new IOException("EDDM state with more errors than samples");
    }
    e.distanceCount = StateIo.readDouble(in);
    e.distanceMean = StateIo.readDouble(in);
    e.distanceSquares = StateIo.readDouble(in);
    e.maxLevel = StateIo.readDouble(in);
    return e;
  }
}
