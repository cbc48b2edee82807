package io.streamsgd.core.batch;

import io.streamsgd.schema.TimeDomain;

/**
 * The inner-product test of Bollapragada, Byrd & Nocedal (2018), "Adaptive sampling strategies for
 * stochastic optimization": it asks only that the batch gradient g be a descent direction in
 * expectation, {@code Var(g_i . g) / |S| <= theta^2 ||g||^4}, which allows smaller batches than the
 * norm test. Augmented, optionally, with their orthogonality test on the component of g_i
 * orthogonal to g: {@code Var_orth / |S| <= nu^2 ||g||^2}. A failing batch's target becomes the
 * largest size the failing tests ask for.
 */
public final class InnerProductTestPolicy implements BatchPolicy {
  private final AdaptiveBounds bounds;
  private final double theta;
  private final Double nu;

  /**
   * @param nu the orthogonality test's parameter, or null to skip that test
   */
  public InnerProductTestPolicy(AdaptiveBounds bounds, double theta, Double nu) {
    if (!(theta > 0) || (nu != null && !(nu > 0))) {
      throw new IllegalArgumentException("theta and nu must be > 0, got " + theta + ", " + nu);
    }
    this.bounds = bounds;
    this.theta = theta;
    this.nu = nu;
  }

  @Override
  public TestOutcome test(GradientStatistics s) {
    if (s.n() < 2) {
      return new TestOutcome(false, 2);
    }
    double g2 = s.meanNormSquared();
    boolean passed = s.innerProductVariance() / s.n() <= theta * theta * g2 * g2;
    double required = NormTestPolicy.requiredSize(s.innerProductVariance(), g2 * g2, theta * theta);
    if (nu != null) {
      passed &= s.orthogonalVariance() / s.n() <= nu * nu * g2;
      required =
          Math.max(required, NormTestPolicy.requiredSize(s.orthogonalVariance(), g2, nu * nu));
    }
    return new TestOutcome(passed, required);
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
  public boolean usesInnerProducts() {
    return true;
  }

  @Override
  public boolean adaptive() {
    return true;
  }
}
