package io.streamsgd.bench.kernel;

import java.util.Random;

/**
 * The benchmark's data: n examples of d standard-normal features whose labels are drawn from a
 * logistic model with weights ~ N(0, 4/d) and intercept 0.25. Deterministic per seed, so every
 * learner sees the very same stream: held in memory here, or streamed by {@link Generator} (the
 * same examples in the same order) where n is too large to hold.
 */
public final class LogisticData {
  public final int n;
  public final int d;

  /** Row-major n x d. */
  public final double[] x;

  /** Labels 0/1. */
  public final double[] y;

  public LogisticData(int n, int d, long seed) {
    this.n = n;
    this.d = d;
    this.x = new double[n * d];
    this.y = new double[n];
    Generator g = new Generator(d, seed);
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      y[i] = g.next(row);
      System.arraycopy(row, 0, x, i * d, d);
    }
  }

  /** The examples one at a time. */
  public static final class Generator {
    private final Random rnd;
    private final double[] w;

    public Generator(int d, long seed) {
      rnd = new Random(seed);
      w = new double[d];
      for (int j = 0; j < d; j++) {
        w[j] = rnd.nextGaussian() / Math.sqrt(d) * 2;
      }
    }

    /** Fills {@code x} with the next example's features; returns its label. */
    public double next(double[] x) {
      double z = 0.25;
      for (int j = 0; j < x.length; j++) {
        double v = rnd.nextGaussian();
        x[j] = v;
        z += w[j] * v;
      }
      return rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
  }

  /** Log loss of a probability for a 0/1 label, clipped as every evaluator does. */
  public static double logLoss(double p, double label) {
    double q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
    return label > 0.5 ? -Math.log(q) : -Math.log(1 - q);
  }
}
