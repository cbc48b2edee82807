package io.streamsgd.core.batch;

import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.TimeDomain;

/**
 * The bounds every adaptive policy honours: a first target, a size range, and a latency bound (0
 * for none) in a time domain.
 */
public record AdaptiveBounds(
    int firstTarget, int minSize, int maxSize, long maxLatencyMillis, TimeDomain timeDomain) {

  public AdaptiveBounds {
    if (minSize < 1 || maxSize < minSize) {
      throw new IllegalArgumentException(
          "batch sizes need 1 <= minSize <= maxSize, got " + minSize + ", " + maxSize);
    }
    if (maxLatencyMillis < 0) {
      throw new IllegalArgumentException("max latency must be >= 0, got " + maxLatencyMillis);
    }
    firstTarget = Math.max(minSize, Math.min(maxSize, firstTarget));
  }

  static AdaptiveBounds of(BatchPolicySpec spec) {
    return new AdaptiveBounds(
        spec.getSize(),
        spec.getMinSize(),
        spec.getMaxSize(),
        spec.getMaxLatencyMs(),
        spec.getTimeDomain());
  }

  int clamp(double size) {
    return BatchPolicy.clamp(size, minSize, maxSize);
  }
}
