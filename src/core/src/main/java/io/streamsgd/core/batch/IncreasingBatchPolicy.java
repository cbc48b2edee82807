package io.streamsgd.core.batch;

import io.streamsgd.schema.TimeDomain;

/**
 * "Don't decay the learning rate, increase the batch size" (Smith, Kindermans, Ying & Le 2018):
 * where a step schedule would divide the learning rate by {@code growthFactor} every {@code
 * growthSteps} updates, multiply the batch size instead. After update t the target is {@code
 * firstTarget * growthFactor^floor(t / growthSteps)}, clamped to [minSize, maxSize].
 */
public final class IncreasingBatchPolicy implements BatchPolicy {
  private final AdaptiveBounds bounds;
  private final double growthFactor;
  private final int growthSteps;

  public IncreasingBatchPolicy(AdaptiveBounds bounds, double growthFactor, int growthSteps) {
    if (!(growthFactor >= 1) || growthSteps < 1) {
      throw new IllegalArgumentException(
          "growth needs factor >= 1 and steps >= 1, got " + growthFactor + ", " + growthSteps);
    }
    this.bounds = bounds;
    this.growthFactor = growthFactor;
    this.growthSteps = growthSteps;
  }

  @Override
  public int nextTarget(int currentTarget, GradientStatistics stats, long t) {
    return bounds.clamp(
        bounds.firstTarget() * Math.pow(growthFactor, Math.floor(t / (double) growthSteps)));
  }

  @Override
  public boolean needsStatistics() {
    return false;
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
    return false;
  }
}
