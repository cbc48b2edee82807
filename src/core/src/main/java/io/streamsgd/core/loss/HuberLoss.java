package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/**
 * Huber (1964): quadratic for residuals within {@code delta}, linear beyond, so outliers pull with
 * a bounded force: {@code 0.5 r^2} if |r| <= delta, else {@code delta (|r| - delta/2)}.
 */
public final class HuberLoss extends MarginLoss {
  private final double delta;

  public HuberLoss(double delta) {
    if (!(delta > 0)) {
      throw new IllegalArgumentException("Huber delta must be > 0, got " + delta);
    }
    this.delta = delta;
  }

  @Override
  public double value(double z, double y) {
    double r = Math.abs(z - y);
    return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
  }

  @Override
  public double derivative(double z, double y) {
    return Math.max(-delta, Math.min(delta, z - y));
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
