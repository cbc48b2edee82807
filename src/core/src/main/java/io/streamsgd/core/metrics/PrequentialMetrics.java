package io.streamsgd.core.metrics;

import java.util.Arrays;

/**
 * Prequential (test-then-train) evaluation of one model: every sample is scored by the model as it
 * was before the sample was trained on (Dawid 1984). Kept twice: over the whole stream, and with a
 * fading factor alpha that forgets old samples geometrically, which tracks the current error of a
 * model on a drifting stream (Gama, Sebastiao & Rodrigues 2013, "On evaluating stream learning
 * algorithms", the fading-factor prequential error).
 *
 * <p>Sums kept (whole stream, and faded): weight, weighted loss, weighted correct predictions
 * (classifiers), weighted squared and absolute errors (regression).
 */
public final class PrequentialMetrics {
  /** Number of sums, in the order of {@link #sums()}. */
  public static final int SUMS = 10;

  private long count;
  // whole stream
  private double weight;
  private double loss;
  private double correct;
  private double squaredError;
  private double absoluteError;
  // faded: S <- alpha * S + x for each sample
  private double fWeight;
  private double fLoss;
  private double fCorrect;
  private double fSquaredError;
  private double fAbsoluteError;

  public PrequentialMetrics() {}

  /** Restores metrics from {@link #count()} and {@link #sums()}. */
  public PrequentialMetrics(long count, double[] sums) {
    if (sums.length != SUMS) {
      throw new IllegalArgumentException("expected " + SUMS + " sums, got " + sums.length);
    }
    this.count = count;
    weight = sums[0];
    loss = sums[1];
    correct = sums[2];
    squaredError = sums[3];
    absoluteError = sums[4];
    fWeight = sums[5];
    fLoss = sums[6];
    fCorrect = sums[7];
    fSquaredError = sums[8];
    fAbsoluteError = sums[9];
  }

  /**
   * Records one scored sample, in stream order.
   *
   * @param correct 1 or 0 for classifiers (whether the predicted class was the label)
   * @param error prediction minus label for regression (0 for classifiers)
   */
  public void record(double alpha, double w, double sampleLoss, double correct, double error) {
    count++;
    weight += w;
    loss += w * sampleLoss;
    this.correct += w * correct;
    squaredError += w * error * error;
    absoluteError += w * Math.abs(error);
    fWeight = alpha * fWeight + w;
    fLoss = alpha * fLoss + w * sampleLoss;
    fCorrect = alpha * fCorrect + w * correct;
    fSquaredError = alpha * fSquaredError + w * error * error;
    fAbsoluteError = alpha * fAbsoluteError + w * Math.abs(error);
  }

  public long count() {
    return count;
  }

  public double weightSum() {
    return weight;
  }

  public double lossSum() {
    return loss;
  }

  /** Weighted mean loss so far, NaN before the first sample. */
  public double meanLoss() {
    return ratio(loss, weight);
  }

  public double accuracy() {
    return ratio(correct, weight);
  }

  public double rmse() {
    return Math.sqrt(ratio(squaredError, weight));
  }

  public double mae() {
    return ratio(absoluteError, weight);
  }

  public double fadedLoss() {
    return ratio(fLoss, fWeight);
  }

  public double fadedAccuracy() {
    return ratio(fCorrect, fWeight);
  }

  public double fadedRmse() {
    return Math.sqrt(ratio(fSquaredError, fWeight));
  }

  public double fadedMae() {
    return ratio(fAbsoluteError, fWeight);
  }

  private static double ratio(double a, double b) {
    return b > 0 ? a / b : Double.NaN;
  }

  /** The sums, for state serialization. */
  public double[] sums() {
    return new double[] {
      weight,
      loss,
      correct,
      squaredError,
      absoluteError,
      fWeight,
      fLoss,
      fCorrect,
      fSquaredError,
      fAbsoluteError
    };
  }

  public PrequentialMetrics copy() {
    return new PrequentialMetrics(count, sums());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrequentialMetrics p && count == p.count && Arrays.equals(sums(), p.sums());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Double.hashCode(loss);
  }
}
