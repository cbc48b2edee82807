package io.streamsgd.core.optim;

/**
 * SGD with momentum (Polyak's heavy ball) or Nesterov's accelerated gradient, in the form deep
 * learning libraries use (Sutskever et al. 2013): {@code v <- mu v + g'}; heavy ball {@code w <- w
 * - eta v}, Nesterov {@code w <- w - eta (g' + mu v)}, where {@code g' = g + l2 w}; then the L1
 * proximal step. Slot 0: the velocity v.
 */
public final class MomentumSgd implements Optimizer {
  private final double mu;
  private final boolean nesterov;

  public MomentumSgd(double mu, boolean nesterov) {
    this.mu = mu;
    this.nesterov = nesterov;
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
    double l1 = eta * step.l1();
    double l2 = step.l2();
    double[] v = slots[0];
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      int s = slotBase + p;
      double g = grad[i] + l2 * params[p];
      v[s] = mu * v[s] + g;
      double w = params[p] - eta * (nesterov ? g + mu * v[s] : v[s]);
      params[p] = l1 > 0 ? Regularization.softThreshold(w, l1) : w;
    }
  }
}
