package io.streamsgd.bench.experiment;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A regression stream whose noise changes halfway: y = w* . x + b* + noise, x ~ N(0, I_d), with
 * noise standard deviation {@code sigma1} for the first half and {@code sigma2} after. The optimum
 * stays where it is; only how noisy the gradients are changes.
 */
final class DriftingNoiseStream {
  private DriftingNoiseStream() {}

  static List<Sample> generate(int n, int d, double sigma1, double sigma2, long seed) {
    Random rnd = new Random(seed);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = rnd.nextGaussian();
    }
    double b = 0.5;
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      double y = b;
      for (int j = 0; j < d; j++) {
        x[j] = rnd.nextGaussian();
        y += w[j] * x[j];
      }
      y += (i < n / 2 ? sigma1 : sigma2) * rnd.nextGaussian();
      out.add(new Sample("experiment", FeatureVector.dense(x), y, 1.0, i, Sample.Origin.UNKNOWN));
    }
    return out;
  }
}
