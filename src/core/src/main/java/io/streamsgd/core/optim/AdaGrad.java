package io.streamsgd.core.optim;

/**
 * AdaGrad (Duchi, Hazan & Singer 2011): per-coordinate rates {@code eta / (sqrt(G) + eps)} with G
 * the sum of squared gradients (slot 0); the L1 proximal step uses the same per-coordinate rate.
 */
public final class AdaGrad implements Optimizer {
  private final double eps;

  public AdaGrad(double eps) {
    this.eps = eps;
  }

  @Override
  public int slotCount() {
    return 1;
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
    double eta = step.learningRate();
    double l1 = step.l1();
    double l2 = step.l2();
    double[] sum = slots[0];
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      int s = slotBase + p;
      double g = grad[i] + l2 * params[p];
      sum[s] += g * g;
      double rate = eta / (Math.sqrt(sum[s]) + eps);
      double w = params[p] - rate * g;
      params[p] = l1 > 0 ? Regularization.softThreshold(w, rate * l1) : w;
    }
  }
}
