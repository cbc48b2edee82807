package io.streamsgd.job.train;

import io.streamsgd.core.train.BatchResult;
import io.streamsgd.schema.BatchCloseReason;

/**
 * A model's publication bookkeeping, kept only for models with a publication schedule: the last
 * version published and when (in the schedule's time domain), and the latest update not yet
 * published: its batch's figures, so that a publication by timer or at the end of input carries
 * exactly what publishing it at once would have. A Flink POJO (public fields, no-arg constructor).
 */
public class PublicationMark {
  public long lastVersion;
  public long lastTime;

  /** Version of the latest unpublished update, or 0 when everything is published. */
  public long pendingVersion;

  public int pendingSize;
  public double pendingWeightSum;
  public double pendingLossSum;
  public long pendingEventTimeMin;
  public long pendingEventTimeMax;
  public boolean pendingApplied;
  public BatchCloseReason pendingReason;

  /** The time of the registered publication timer, or -1. */
  public long timer = -1;

  /** Whether that timer is an event-time timer (else processing time). */
  public boolean timerInEventTime;

  public PublicationMark() {}

  boolean pending() {
    return pendingVersion > lastVersion;
  }

  void published(long version, long time) {
    lastVersion = version;
    lastTime = time;
    pendingVersion = 0;
  }

  void pending(long version, BatchResult batch, BatchCloseReason reason) {
    pendingVersion = version;
    pendingSize = batch.size();
    pendingWeightSum = batch.weightSum();
    pendingLossSum = batch.lossSum();
    pendingEventTimeMin = batch.eventTimeMin();
    pendingEventTimeMax = batch.eventTimeMax();
    pendingApplied = batch.applied();
    pendingReason = reason;
  }

  BatchResult pendingBatch() {
    return new BatchResult(
        pendingSize,
        pendingWeightSum,
        pendingLossSum,
        pendingEventTimeMin,
        pendingEventTimeMax,
        pendingApplied);
  }
}
