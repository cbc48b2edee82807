package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/** {@code 0.5 * (z - y)^2}: least-squares regression. The 0.5 makes the derivative the residual. */
public final class SquaredLoss implements LossFunction {
  public static final SquaredLoss INSTANCE = new SquaredLoss();

  private SquaredLoss() {}

  @Override
  public double value(double margin, double label) {
    double r = margin - label;
    return 0.5 * r * r;
  }

  @Override
  public double derivative(double margin, double label) {
    return margin - label;
  }

  @Override
  public double link(double margin) {
    return margin;
  }

  @Override
  public Task task() {
    return Task.REGRESSION;
  }
}
