package io.streamsgd.core.optim;

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View from the Trenches", Algorithm
 * 1), per coordinate with slots z (0) and n (1): {@code sigma = (sqrt(n + g^2) - sqrt(n)) / alpha;
 * z <- z + g - sigma w; n <- n + g^2}; {@code w = 0} if {@code |z| <= l1}, else {@code -(z -
 * sign(z) l1) / ((beta + sqrt(n)) / alpha + l2)}. The learning rate is alpha. L1 gives exact zeros,
 * and coordinates a batch does not touch keep their value: FTRL is lazy by construction.
 */
public final class FtrlProximal implements Optimizer {
  private final double beta;

  public FtrlProximal(double beta) {
    this.beta = beta;
  }

  @Override
  public int slotCount() {
    return 2;
  }

  @Override
  public boolean needsLazyRegularization() {
    return false;
  }

  @Override
  public void update(
      double[] params,
      int[] index,
      double[] grad,
      int n,
      double[][] slots,
      int slotBase,
      Step step) {
    double alpha = step.learningRate();
    double l1 = step.l1();
    double l2 = step.l2();
    double[] z = slots[0];
    double[] sq = slots[1];
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      int s = slotBase + p;
      double g = grad[i];
      double sigma = (Math.sqrt(sq[s] + g * g) - Math.sqrt(sq[s])) / alpha;
      z[s] += g - sigma * params[p];
      sq[s] += g * g;
      double zs = z[s];
      params[p] =
          Math.abs(zs) <= l1
              ? 0.0
              : -(zs - Math.signum(zs) * l1) / ((beta + Math.sqrt(sq[s])) / alpha + l2);
    }
  }
}
