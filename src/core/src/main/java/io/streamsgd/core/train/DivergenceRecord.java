package io.streamsgd.core.train;

import io.streamsgd.schema.DivergenceGuardSpec;

/**
 * What the divergence guard has done to a model: batches refused in all and in a row, and the
 * factor its learning rate is backed off by.
 */
public final class DivergenceRecord {
  private long rejectedBatches;
  private int consecutiveRejections;
  private int backoffs;
  private double learningRateScale = 1.0;

  public DivergenceRecord() {}

  public DivergenceRecord(
      long rejectedBatches, int consecutiveRejections, int backoffs, double learningRateScale) {
    this.rejectedBatches = rejectedBatches;
    this.consecutiveRejections = consecutiveRejections;
    this.backoffs = backoffs;
    this.learningRateScale = learningRateScale;
  }

  /**
   * A refused batch; the second in a row (and every one after) backs the rate off, within the
   * spec's limit.
   */
  void reject(DivergenceGuardSpec guard) {
    rejectedBatches++;
    consecutiveRejections++;
    if (consecutiveRejections >= 2 && backoffs < guard.getMaxBackoffs()) {
      backoffs++;
      learningRateScale *= guard.getBackoff();
    }
  }

  void accept() {
    consecutiveRejections = 0;
  }

  public long rejectedBatches() {
    return rejectedBatches;
  }

  public int consecutiveRejections() {
    return consecutiveRejections;
  }

  public int backoffs() {
    return backoffs;
  }

  public double learningRateScale() {
    return learningRateScale;
  }

  DivergenceRecord copy() {
    return new DivergenceRecord(
        rejectedBatches, consecutiveRejections, backoffs, learningRateScale);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DivergenceRecord d
        && rejectedBatches == d.rejectedBatches
        && consecutiveRejections == d.consecutiveRejections
        && backoffs == d.backoffs
        && Double.compare(learningRateScale, d.learningRateScale) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rejectedBatches) * 31 + backoffs;
  }
}
