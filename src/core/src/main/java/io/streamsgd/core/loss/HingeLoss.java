package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/** The linear SVM's loss for labels 0/1 (t = 2y - 1): {@code max(0, 1 - t z)}. */
public final class HingeLoss extends MarginLoss {
  public static final HingeLoss INSTANCE = new HingeLoss();

  private HingeLoss() {}

  @Override
  public double value(double z, double y) {
    return Math.max(0.0, 1.0 - sign(y) * z);
  }

  /** A subgradient: 0 on the hinge itself. */
  @Override
  public double derivative(double z, double y) {
    double t = sign(y);
    return t * z < 1.0 ? -t : 0.0;
  }

  /** The decision value: hinge loss gives no probability. */
  @Override
  public double link(double z) {
    return z;
  }

  @Override
  public Task task() {
    return Task.BINARY;
  }
}
