package io.streamsgd.input.produce;

import java.util.Random;

/** The two classic examples the demo learns, each a generator of (x, label) pairs. */
public enum SeedExample {
  /**
   * x ~ U(0,1), y = 3x + 2 + U(0,1). The noise has mean 0.5, so least squares converges to w = 3, b
   * = 2.5.
   */
  LINEAR {
    @Override
    double[] next(Random rnd) {
      double x = rnd.nextDouble();
      return new double[] {x, 3 * x + 2 + rnd.nextDouble()};
    }
  },
  /**
   * x ~ U(0,1), label = round(tanh(2x) + U(0,1)) clipped to {0, 1}: P(y = 1 | x) = min(1, 0.5 +
   * tanh(2x)), learned with logistic loss.
   */
  LOGISTIC {
    @Override
    double[] next(Random rnd) {
      double x = rnd.nextDouble();
      double label = Math.min(1.0, Math.max(0.0, Math.rint(Math.tanh(2 * x) + rnd.nextDouble())));
      return new double[] {x, label};
    }
  };

  /** One example: {x, label}. */
  abstract double[] next(Random rnd);
}
