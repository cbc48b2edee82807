package io.streamsgd.core.train;

import java.util.List;

/**
 * The matrix-vector products of a single-output model's dense batch. A plain dot product is one
 * chain of dependent additions, bound by the adder's latency; four independent partial sums let the
 * CPU overlap them. The summation order is fixed, so results are deterministic.
 */
final class DenseKernels {
  private DenseKernels() {}

  /** {@code z[i] = x_i . w} for the batch's dense feature vectors x_i (the rows of X). */
  static void scores(List<Sample> batch, int d, double[] w, double[] z) {
    for (int i = 0; i < batch.size(); i++) {
      double[] x = batch.get(i).features().values();
      int o = 0;
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      int j = 0;
      for (; j + 3 < d; j += 4) {
        a0 += x[o + j] * w[j];
        a1 += x[o + j + 1] * w[j + 1];
        a2 += x[o + j + 2] * w[j + 2];
        a3 += x[o + j + 3] * w[j + 3];
      }
      for (; j < d; j++) {
        a0 += x[o + j] * w[j];
      }
      z[i] = (a0 + a1) + (a2 + a3);
    }
  }

  /** {@code grad = sum_i g[i] x_i}: the weight gradient {@code G^T X} for one output. */
  static void gradient(List<Sample> batch, int d, double[] g, double[] grad) {
    java.util.Arrays.fill(grad, 0, d, 0.0);
    for (int i = 0; i < batch.size(); i++) {
      double gi = g[i];
      double[] x = batch.get(i).features().values();
      for (int j = 0; j < d; j++) {
        grad[j] += gi * x[j];
      }
    }
  }
}
