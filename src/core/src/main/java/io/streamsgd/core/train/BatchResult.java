package io.streamsgd.core.train;

/**
 * What applying one minibatch did.
 *
 * @param size samples in the batch
 * @param weightSum sum of their weights
 * @param lossSum weighted sum of their prequential losses (scored before the update)
 * @param eventTimeMin earliest event time in the batch
 * @param eventTimeMax latest event time in the batch
 * @param applied false when the divergence guard refused the update (the parameters did not change)
 */
public record BatchResult(
    int size,
    double weightSum,
    double lossSum,
    long eventTimeMin,
    long eventTimeMax,
    boolean applied) {

  /** Weighted mean prequential loss of this batch, NaN when every weight was zero. */
  public double meanLoss() {
    return weightSum > 0 ? lossSum / weightSum : Double.NaN;
  }
}
