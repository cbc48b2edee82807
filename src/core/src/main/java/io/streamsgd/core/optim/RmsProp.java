package io.streamsgd.core.optim;

/**
 * RMSProp (Tieleman & Hinton 2012): {@code E <- rho E + (1 - rho) g^2} (slot 0), rate {@code eta /
 * (sqrt(E) + eps)}.
 */
public final class RmsProp implements Optimizer {
  private final double rho;
  private final double eps;

  public RmsProp(double rho, double eps) {
    this.rho = rho;
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
    double[] mean = slots[0];
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      int s = slotBase + p;
      double g = grad[i] + l2 * params[p];
      mean[s] = rho * mean[s] + (1 - rho) * g * g;
      double rate = eta / (Math.sqrt(mean[s]) + eps);
      double w = params[p] - rate * g;
      params[p] = l1 > 0 ? Regularization.softThreshold(w, rate * l1) : w;
    }
  }
}
