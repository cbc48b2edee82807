package io.streamsgd.core.batch;

import io.streamsgd.schema.TimeDomain;

/**
 * The norm test of Byrd, Chin, Nocedal & Wu (2012), "Sample size selection in optimization methods
 * for machine learning": a batch S is big enough when its gradient is a descent direction with high
 * probability, {@code ||Var_S||_1 / |S| <= theta^2 ||g_S||^2} (eq. 3.9); when it is not, the batch
 * size that would pass is {@code ||Var_S||_1 / (theta^2 ||g_S||^2)} (eq. 3.12), which is also the
 * next batch's target. Noisy gradients near an optimum make batches grow; clean ones early in
 * training keep them small.
 */
public final class NormTestPolicy implements BatchPolicy {
  private final AdaptiveBounds bounds;
  private final double theta;

  public NormTestPolicy(AdaptiveBounds bounds, double theta) {
    if (!(theta > 0)) {
      throw new IllegalArgumentException("theta must be > 0, got " + theta);
    }
    this.bounds = bounds;
    this.theta = theta;
  }

  @Override
  public TestOutcome test(GradientStatistics s) {
    if (s.n() < 2) {
      return new TestOutcome(false, 2);
    }
    double required = requiredSize(s.traceVariance(), s.meanNormSquared(), theta * theta);
    return new TestOutcome(
        s.traceVariance() / s.n() <= theta * theta * s.meanNormSquared(), required);
  }

  /** {@code variance / (t2 * norm)}, infinite when the norm is zero and variance remains. */
  static double requiredSize(double variance, double norm, double t2) {
    if (variance <= 0) {
      return 1;
    }
    return norm > 0 ? variance / (t2 * norm) : Double.POSITIVE_INFINITY;
  }

  @Override
  public int nextTarget(int currentTarget, GradientStatistics stats, long t) {
    return stats == null || stats.n() < 2
        ? currentTarget
        : bounds.clamp(test(stats).requiredSize());
  }

  @Override
  public int firstTarget() {
    return bounds.firstTarget();
  }

  @Override
  public int maxSize() {
    return bounds.maxSize();
  }

  @Override
  public long maxLatencyMillis() {
    return bounds.maxLatencyMillis();
  }

  @Override
  public TimeDomain timeDomain() {
    return bounds.timeDomain();
  }

  @Override
  public boolean adaptive() {
    return true;
  }
}
