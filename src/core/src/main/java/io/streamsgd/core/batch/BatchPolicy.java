package io.streamsgd.core.batch;

import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.TimeDomain;

/**
 * Decides how big minibatches are. Size decisions depend only on the samples and the model, so they
 * replay identically after a failure; the latency bound is measured in processing time or in event
 * time ({@link #timeDomain()}): only processing time makes boundaries depend on timing.
 *
 * <p>A batch closes when it reaches {@link #maxSize()}, when its age reaches the latency bound, and
 * otherwise: non-adaptive policies at the current target size; adaptive policies when the batch
 * passes their test, which the trainer evaluates from the target size on (and again at the size the
 * failed test asks for).
 */
public interface BatchPolicy {

  /** Target size of a model's first batch. */
  int firstTarget();

  /** A batch closes at this size whatever its test says. */
  int maxSize();

  /** Longest span of a batch in {@link #timeDomain()} milliseconds, 0 for no bound. */
  long maxLatencyMillis();

  TimeDomain timeDomain();

  /** Whether closing is decided by {@link #test}. */
  boolean adaptive();

  /** The adaptive test on a batch's gradient statistics. Non-adaptive policies always pass. */
  default TestOutcome test(GradientStatistics stats) {
    return TestOutcome.PASSED;
  }

  /**
   * Target size of the next batch, after update {@code t} whose batch had these statistics (null
   * when the policy needs none).
   */
  int nextTarget(int currentTarget, GradientStatistics stats, long t);

  /** Whether {@link #nextTarget} needs gradient statistics of the applied batch. */
  default boolean needsStatistics() {
    return adaptive();
  }

  /**
   * Whether {@link #test} reads the inner-product and orthogonal variances (which running sums
   * estimate against a reference direction).
   */
  default boolean usesInnerProducts() {
    return false;
  }

  /**
   * A test's verdict and the batch size that would pass it (infinite when the mean gradient is zero
   * and any variance remains).
   */
  record TestOutcome(boolean passed, double requiredSize) {
    public static final TestOutcome PASSED = new TestOutcome(true, 0);
  }

  static BatchPolicy of(BatchPolicySpec spec) {
    switch (spec.getKind()) {
      case FIXED:
        return new FixedSizePolicy(spec.getSize());
      case SIZE_OR_LATENCY:
        return new SizeOrLatencyPolicy(
            spec.getSize(), spec.getMaxLatencyMs(), spec.getTimeDomain());
      case NORM_TEST:
        return new NormTestPolicy(AdaptiveBounds.of(spec), spec.getTheta());
      case INNER_PRODUCT_TEST:
        return new InnerProductTestPolicy(AdaptiveBounds.of(spec), spec.getTheta(), spec.getNu());
      case INCREASING:
        return new IncreasingBatchPolicy(
            AdaptiveBounds.of(spec), spec.getGrowthFactor(), spec.getGrowthSteps());
      default:
        throw new IllegalArgumentException("unsupported batch policy " + spec.getKind());
    }
  }

  /** Clamps a size to [min, max]. */
  static int clamp(double size, int min, int max) {
    if (!(size < max)) {
      return max; // also for infinity and NaN-free overflow
    }
    return Math.max(min, (int) Math.ceil(size));
  }
}
