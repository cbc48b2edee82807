package io.streamsgd.job.train;

/**
 * Bookkeeping of one model's open minibatch (the samples themselves are in list state): how
 * many samples it holds, when its first sample arrived, which timers guard it.
 */
public final class OpenBatch {
  /** Samples in the batch. */
  public int count;
  /** Processing time (ms) at which the first sample joined. */
  public long openedAt;
  /** Processing time of the pending latency timer, or -1. */
  public long latencyTimer = -1;
  /** Processing time of the pending wait-for-spec poll timer, or -1. */
  public long specPollTimer = -1;

  public OpenBatch() {}

  public OpenBatch(int count, long openedAt, long latencyTimer, long specPollTimer) {
    this.count = count;
    this.openedAt = openedAt;
    this.latencyTimer = latencyTimer;
    this.specPollTimer = specPollTimer;
  }


  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OpenBatch)) {
      return false;
    }
    OpenBatch b = (OpenBatch) o;
    return count == b.count && openedAt == b.openedAt && latencyTimer == b.latencyTimer && specPollTimer == b.specPollTimer;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(openedAt) * 31 + count;
  }

  @Override
  public String toString() {
    return "OpenBatch{count=" + count + ", openedAt=" + openedAt + ", latencyTimer=" + latencyTimer + ", specPollTimer=" + specPollTimer + "}";
  }
}
