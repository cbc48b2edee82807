package io.streamsgd.core.batch;

import io.streamsgd.schema.TimeDomain;

/** Closes every batch at exactly {@code size} samples, never earlier: fully deterministic. */
public final class FixedSizePolicy implements BatchPolicy {
  private final int size;

  public FixedSizePolicy(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    this.size = size;
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
    return 0;
  }

  @Override
  public TimeDomain timeDomain() {
    return TimeDomain.PROCESSING_TIME;
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
