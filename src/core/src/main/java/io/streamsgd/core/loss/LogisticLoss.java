package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/**
 * Log loss for labels y in {0, 1}: {@code -y log s(z) - (1-y) log(1 - s(z))}, s the sigmoid,
 * computed as {@code log(1 + e^-|z|) + max(z, 0) - y z} so it never overflows.
 */
public final class LogisticLoss extends MarginLoss {
  public static final LogisticLoss INSTANCE = new LogisticLoss();

  private LogisticLoss() {}

  @Override
  public double value(double z, double y) {
    return Math.log(1.0 + Math.exp(-Math.abs(z))) + Math.max(z, 0.0) - y * z;
  }

  /** Loss and derivative from one exponential: the trainer's hot path. */
  @Override
  public double valueAndDerivative(double z, double y, double[] derivative, int at) {
    double e = Math.exp(-Math.abs(z));
    double s = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    derivative[at] = s - y;
    // log(1 + e) rather than log1p(e): e <= 1, so the absolute error stays below 2.3e-16, and it
    // is twice as fast (log1p is not an intrinsic).
    return Math.log(1.0 + e) + Math.max(z, 0.0) - y * z;
  }

  @Override
  public double derivative(double z, double y) {
    return sigmoid(z) - y;
  }

  /** P(y = 1). */
  @Override
  public double link(double z) {
    return sigmoid(z);
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
