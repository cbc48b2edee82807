package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/** {@code 0.5 * (z - y)^2}: least squares. The 0.5 makes the derivative the residual. */
public final class SquaredLoss extends MarginLoss {
  public static final SquaredLoss INSTANCE = new SquaredLoss();

  private SquaredLoss() {}

  @Override
  public double value(double z, double y) {
    double r = z - y;
    return 0.5 * r * r;
  }

  @Override
  public double derivative(double z, double y) {
    return z - y;
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
