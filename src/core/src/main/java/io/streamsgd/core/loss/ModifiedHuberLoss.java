package io.streamsgd.core.loss;

import io.streamsgd.schema.Task;

/**
 * Zhang (2004)'s modified Huber loss for labels 0/1 (t = 2y - 1): {@code max(0, 1 - tz)^2} for
 * {@code tz >= -1}, else {@code -4tz}. Smooth, robust to outliers, and it gives probability
 * estimates {@code (clip(z, -1, 1) + 1) / 2}.
 */
public final class ModifiedHuberLoss extends MarginLoss {
  public static final ModifiedHuberLoss INSTANCE = new ModifiedHuberLoss();

  private ModifiedHuberLoss() {}

  @Override
  public double value(double z, double y) {
    double m = sign(y) * z;
    if (m >= 1.0) {
      return 0.0;
    }
    return m >= -1.0 ? (1.0 - m) * (1.0 - m) : -4.0 * m;
  }

  @Override
  public double derivative(double z, double y) {
    double t = sign(y);
    double m = t * z;
    if (m >= 1.0) {
      return 0.0;
    }
    return m >= -1.0 ? -2.0 * t * (1.0 - m) : -4.0 * t;
  }

  /** P(y = 1) estimate. */
  @Override
  public double link(double z) {
    return (Math.max(-1.0, Math.min(1.0, z)) + 1.0) / 2.0;
  }

  @Override
  public Task task() {
    return Task.BINARY;
  }
}
