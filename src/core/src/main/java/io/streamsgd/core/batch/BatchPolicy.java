package io.streamsgd.core.batch;

import io.streamsgd.schema.BatchPolicySpec;

/**
 * Decides when an open minibatch closes. Count-based decisions replay identically after a
 * failure; the latency bound is measured by the caller's clock (processing time), which trades
 * that determinism for bounded staleness.
 */
public interface BatchPolicy {

  /** True when a batch that now holds {@code count} samples must close. */
  boolean closesAtCount(int count);

  /** Longest time in milliseconds a sample may wait in an open batch, or -1 for no bound. */
  long maxLatencyMillis();

  static BatchPolicy of(BatchPolicySpec spec) {
    switch (spec.getKind()) {
      case FIXED:
        return new FixedSizePolicy(spec.getSize());
      case SIZE_OR_LATENCY:
        return new SizeOrLatencyPolicy(spec.getSize(), spec.getMaxLatencyMs());
      default:
        throw new IllegalArgumentException("unsupported batch policy " + spec.getKind());
    }
  }
}
