package io.streamsgd.core.batch;

import io.streamsgd.schema.TimeDomain;

/**
 * Closes a batch at {@code size} samples, or once it spans {@code maxLatencyMillis}, whichever
 * comes first (the shape of Flink SQL's mini-batch setting).
 */
public final class SizeOrLatencyPolicy implements BatchPolicy {
  private final int size;
  private final long maxLatencyMillis;
  private final TimeDomain timeDomain;

  public SizeOrLatencyPolicy(int size, long maxLatencyMillis, TimeDomain timeDomain) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    if (maxLatencyMillis < 1) {
      throw new IllegalArgumentException("max latency must be >= 1 ms, got " + maxLatencyMillis);
    }
    this.size = size;
    this.maxLatencyMillis = maxLatencyMillis;
    this.timeDomain = timeDomain;
  }

  @Override
  public int firstTarget() {
    return size;
  }

  @Override
  public int maxSize() {
    return size;
  }

  @Override
  public long maxLatencyMillis() {
    return maxLatencyMillis;
  }

  @Override
  public TimeDomain timeDomain() {
    return timeDomain;
  }

  @Override
  public boolean adaptive() {
    return false;
  }

  @Override
  public int nextTarget(int currentTarget, GradientStatistics stats, long t) {
    return size;
  }
}
