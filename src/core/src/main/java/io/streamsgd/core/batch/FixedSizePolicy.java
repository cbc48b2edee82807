package io.streamsgd.core.batch;

/** Closes every batch at exactly {@code size} samples, never earlier. */
public final class FixedSizePolicy implements BatchPolicy {
  private final int size;

  public FixedSizePolicy(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    this.size = size;
  }

  @Override
  public boolean closesAtCount(int count) {
    return count >= size;
  }

  @Override
  public long maxLatencyMillis() {
    return -1;
  }
}
