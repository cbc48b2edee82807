package io.streamsgd.job.train;

import io.streamsgd.core.train.BatchSums;
import java.util.Objects;

/**
 * Bookkeeping of one model's open minibatch: how many samples it holds, its target size and next
 * test point, when it opened and which timers guard it, and the batch itself as running sums
 * ({@link BatchSums}) for models that allow it; the others' samples are in list state. Between
 * batches it keeps the next batch's target (count 0, no sums).
 */
public final class OpenBatch {
  /** Samples in the batch. */
  public int count;

  /** The size this batch aims at (0 until the model's first batch opens). */
  public int target;

  /** Adaptive policies: the count at which the batch's test is evaluated next. */
  public int nextCheck;

  /** Processing time (ms) at which the first sample joined. */
  public long openedAt;

  /** Processing time of the pending latency timer, or -1. */
  public long latencyTimer = -1;

  /** Event-time latency bound: the event time at which the batch ends, or -1. */
  public long eventBoundary = -1;

  /** Processing time of the pending wait-for-spec poll timer, or -1. */
  public long specPollTimer = -1;

  /** The open batch as running sums, or null when its samples are kept (or none is open). */
  public BatchSums sums;

  /**
   * Whether this model's end-of-input timer is known to be registered. Never written to state (so
   * false after every read from it, and the timer is registered once more, which is harmless: a
   * timer is registered once per key and time). It saves what registering costs on every batch: on
   * RocksDB, whose timers live in RocksDB, one write per batch.
   */
  transient boolean endOfInputTimerSet;

  public OpenBatch() {}

  public OpenBatch(
      int count,
      int target,
      int nextCheck,
      long openedAt,
      long latencyTimer,
      long eventBoundary,
      long specPollTimer) {
    this.count = count;
    this.target = target;
    this.nextCheck = nextCheck;
    this.openedAt = openedAt;
    this.latencyTimer = latencyTimer;
    this.eventBoundary = eventBoundary;
    this.specPollTimer = specPollTimer;
  }

  /** An empty batch whose first sample will aim at {@code target}. */
  static OpenBatch next(int target) {
    return new OpenBatch(0, target, target, 0, -1, -1, -1);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OpenBatch)) {
      return false;
    }
    OpenBatch b = (OpenBatch) o;
    return count == b.count
        && target == b.target
        && nextCheck == b.nextCheck
        && openedAt == b.openedAt
        && latencyTimer == b.latencyTimer
        && eventBoundary == b.eventBoundary
        && specPollTimer == b.specPollTimer
        && Objects.equals(sums, b.sums);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(openedAt) * 31 + count;
  }

  @Override
  public String toString() {
    return "OpenBatch{count="
        + count
        + ", target="
        + target
        + ", nextCheck="
        + nextCheck
        + ", openedAt="
        + openedAt
        + ", latencyTimer="
        + latencyTimer
        + ", eventBoundary="
        + eventBoundary
        + ", specPollTimer="
        + specPollTimer
        + (sums == null ? "" : ", " + sums)
        + "}";
  }
}
