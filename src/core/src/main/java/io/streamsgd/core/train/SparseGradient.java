package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import java.util.Arrays;
import java.util.List;

/**
 * The weight gradient of a sparse minibatch as sorted, unique flat indices ({@code j * d + i} for
 * output j and feature i) and their values: only coordinates some sample touched, so the cost grows
 * with the non-zeros, not the dimension. Terms are summed in (index, sample) order, so the result
 * is deterministic.
 */
final class SparseGradient {
  final int[] index;
  final double[] value;
  final int size;

  private SparseGradient(int[] index, double[] value, int size) {
    this.index = index;
    this.value = value;
    this.size = size;
  }

  /**
   * @param g per-sample, per-output d loss / d score, weighted (n x k, row-major)
   * @param scale factor applied to every sum (1 / weight sum: the mean gradient)
   */
  static SparseGradient of(List<Sample> batch, double[] g, int k, int d, double scale) {
    int terms = 0;
    for (Sample s : batch) {
      terms += s.features().size() * k;
    }
    long[] packed = new long[terms];
    double[] termValue = new double[terms];
    int t = 0;
    for (int i = 0; i < batch.size(); i++) {
      FeatureVector f = batch.get(i).features();
      for (int j = 0; j < k; j++) {
        double gij = g[i * k + j];
        for (int e = 0; e < f.size(); e++) {
          long flat = (long) j * d + f.indexAt(e);
          packed[t] = (flat << 32) | t;
          termValue[t] = gij * f.valueAt(e);
          t++;
        }
      }
    }
    Arrays.sort(packed);
    int[] index = new int[terms];
    double[] value = new double[terms];
    int m = -1;
    for (long p : packed) {
      int flat = (int) (p >>> 32);
      double v = termValue[(int) p];
      if (m >= 0 && index[m] == flat) {
        value[m] += v;
      } else {
        index[++m] = flat;
        value[m] = v;
      }
    }
    for (int i = 0; i <= m; i++) {
      value[i] *= scale;
    }
    return new SparseGradient(index, value, m + 1);
  }
}
