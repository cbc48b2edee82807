package io.streamsgd.core.batch;

/**
 * Closes a batch at {@code size} samples, or once its first sample has waited {@code
 * maxLatencyMillis}, whichever comes first (the shape of Flink SQL's mini-batch setting).
 */
public final class SizeOrLatencyPolicy implements BatchPolicy {
  private final int size;
  private final long maxLatencyMillis;

  public SizeOrLatencyPolicy(int size, long maxLatencyMillis) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    if (maxLatencyMillis < 1) {
      throw new IllegalArgumentException("max latency must be >= 1 ms, got " + maxLatencyMillis);
    }
    this.size = size;
    this.maxLatencyMillis = maxLatencyMillis;
  }

  @Override
  public boolean closesAtCount(int count) {
    return count >= size;
  }

  @Override
  public long maxLatencyMillis() {
    return maxLatencyMillis;
  }
}
