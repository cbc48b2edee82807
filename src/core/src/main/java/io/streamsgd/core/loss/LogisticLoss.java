package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/**
 * Log loss for labels y in {0, 1} on margin z: {@code -y log s(z) - (1-y) log(1 - s(z))} with
 * s the sigmoid, written as {@code log(1 + e^-|z|) + max(z, 0) - y z} so it never overflows.
 */
public final class LogisticLoss implements LossFunction {
  public static final LogisticLoss INSTANCE = new LogisticLoss();

  private LogisticLoss() {}

  @Override
  public double value(double margin, double label) {
    return Math.log1p(Math.exp(-Math.abs(margin))) + Math.max(margin, 0.0) - label * margin;
  }

  @Override
  public double derivative(double margin, double label) {
    return sigmoid(margin) - label;
  }

  @Override
  public double link(double margin) {
    return sigmoid(margin);
  }

  @Override
  public Task task() {
    return Task.BINARY;
  }

  /** Numerically stable logistic function. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
