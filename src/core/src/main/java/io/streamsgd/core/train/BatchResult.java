package io.streamsgd.core.train;

import java.util.List;

/**
 * What applying one minibatch did.
 *
 * @param size samples in the batch
 * @param weightSum sum of their weights
 * @param lossSum weighted sum of their prequential losses (scored before the update)
 * @param eventTimeMin earliest event time in the batch
 * @param eventTimeMax latest event time in the batch
 * @param applied false when the divergence guard refused the update (the parameters did not change)
 * @param driftEvents what the model's drift watch saw and did in this batch, in order
 */
public record BatchResult(
    int size,
    double weightSum,
    double lossSum,
    long eventTimeMin,
    long eventTimeMax,
    boolean applied,
    List<DriftWatch.Event> driftEvents) {

  public BatchResult(
      int size,
      double weightSum,
      double lossSum,
      long eventTimeMin,
      long eventTimeMax,
      boolean applied) {
    this(size, weightSum, lossSum, eventTimeMin, eventTimeMax, applied, List.of());
  }

  /** This result with the drift watch's events of the batch. */
  public BatchResult withDriftEvents(List<DriftWatch.Event> events) {
    return new BatchResult(
        size, weightSum, lossSum, eventTimeMin, eventTimeMax, applied, List.copyOf(events));
  }

  /** Weighted mean prequential loss of this batch, NaN when every weight was zero. */
  public double meanLoss() {
    return weightSum > 0 ? lossSum / weightSum : Double.NaN;
  }
}
