package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/** Support-vector regression's loss: {@code max(0, |z - y| - epsilon)}. */
public final class EpsilonInsensitiveLoss extends MarginLoss {
  private final double epsilon;

  public EpsilonInsensitiveLoss(double epsilon) {
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
    }
    this.epsilon = epsilon;
  }

  @Override
  public double value(double z, double y) {
    return Math.max(0.0, Math.abs(z - y) - epsilon);
  }

  @Override
  public double derivative(double z, double y) {
    double r = z - y;
    return r > epsilon ? 1.0 : (r < -epsilon ? -1.0 : 0.0);
  }

  @Override
  public double link(double z) {
    return z;
  }

  @Override
  public Task task() {
    return Task.REGRESSION;
  }
}
