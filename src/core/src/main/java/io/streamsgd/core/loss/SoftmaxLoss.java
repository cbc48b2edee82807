package io.streamsgd.core.loss;

import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.schema.Task;

/**
 * Multinomial logistic regression: cross-entropy of {@code p = softmax(z)} against the class label
 * y, {@code log sum_j e^{z_j} - z_y}, with gradient {@code p - onehot(y)}. Computed with the max
 * subtracted, so it never overflows.
 */
public final class SoftmaxLoss implements LossFunction {
  public static final SoftmaxLoss INSTANCE = new SoftmaxLoss();

  private SoftmaxLoss() {}

  @Override
  public Task task() {
    return Task.MULTICLASS;
  }

  @Override
  public int outputs(int numClasses) {
    return numClasses;
  }

  @Override
  public double lossAndGradient(double[] z, int off, int k, double label, double[] grad, int goff) {
    double max = max(z, off, k);
    double sum = 0.0;
    for (int j = 0; j < k; j++) {
      double e = Math.exp(z[off + j] - max);
      grad[goff + j] = e;
      sum += e;
    }
    int y = (int) label;
    double inv = 1.0 / sum;
    for (int j = 0; j < k; j++) {
      grad[goff + j] *= inv;
    }
    grad[goff + y] -= 1.0;
    return Math.log(sum) + max - z[off + y];
  }

  @Override
  public double loss(double[] z, int off, int k, double label) {
    double max = max(z, off, k);
    double sum = 0.0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(z[off + j] - max);
    }
    return Math.log(sum) + max - z[off + (int) label];
  }

  @Override
  public int predictedClass(double[] z, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (z[off + j] > z[off + best]) {
        best = j;
      }
    }
    return best;
  }

  @Override
  public ModelOutput predict(double[] z, int off, int k) {
    double[] p = new double[k];
    double max = max(z, off, k);
    double sum = 0.0;
    for (int j = 0; j < k; j++) {
      p[j] = Math.exp(z[off + j] - max);
      sum += p[j];
    }
    for (int j = 0; j < k; j++) {
      p[j] /= sum;
    }
    int cls = predictedClass(z, off, k);
    return new ModelOutput(z[off + cls], p[cls], cls, p);
  }

  private static double max(double[] z, int off, int k) {
    double m = z[off];
    for (int j = 1; j < k; j++) {
      m = Math.max(m, z[off + j]);
    }
    return m;
  }
}
