package io.streamsgd.core.metrics;

/**
 * Running sums of a prequential (test-then-train) evaluation: every sample's loss is taken
 * with the model as it was before the sample was trained on (Dawid 1984; Gama et al. 2013).
 */
public final class PrequentialLoss {
  private long count;
  private double lossSum;
  private double weightSum;

  public PrequentialLoss() {}

  public PrequentialLoss(long count, double lossSum, double weightSum) {
    this.count = count;
    this.lossSum = lossSum;
    this.weightSum = weightSum;
  }

  /** Adds a batch's sums: {@code n} samples with weighted loss sum and weight sum. */
  public void add(long n, double weightedLossSum, double weights) {
    count += n;
    lossSum += weightedLossSum;
    weightSum += weights;
  }

  public long count() {
    return count;
  }

  public double lossSum() {
    return lossSum;
  }

  public double weightSum() {
    return weightSum;
  }

  /** Weighted mean loss so far, NaN before the first sample. */
  public double mean() {
    return weightSum > 0 ? lossSum / weightSum : Double.NaN;
  }

  public PrequentialLoss copy() {
    return new PrequentialLoss(count, lossSum, weightSum);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PrequentialLoss)) {
      return false;
    }
    PrequentialLoss p = (PrequentialLoss) o;
    return count == p.count
        && Double.compare(lossSum, p.lossSum) == 0
        && Double.compare(weightSum, p.weightSum) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Double.hashCode(lossSum);
  }
}
