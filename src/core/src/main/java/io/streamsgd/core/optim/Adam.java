package io.streamsgd.core.optim;

/**
 * Adam (Kingma & Ba 2015, Algorithm 1): moments {@code m} (slot 0) and {@code v} (slot 1),
 * bias-corrected with the update count t: {@code w <- w - eta mhat / (sqrt(vhat) + eps)}.
 */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;

  public Adam(double beta1, double beta2, double eps) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  @Override
  public int slotCount() {
    return 2;
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
    double c1 = 1 - Math.pow(beta1, step.t());
    double c2 = 1 - Math.pow(beta2, step.t());
    double[] m = slots[0];
    double[] v = slots[1];
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      int s = slotBase + p;
      double g = grad[i] + l2 * params[p];
      m[s] = beta1 * m[s] + (1 - beta1) * g;
      v[s] = beta2 * v[s] + (1 - beta2) * g * g;
      double rate = eta / (Math.sqrt(v[s] / c2) + eps);
      double w = params[p] - rate * (m[s] / c1);
      params[p] = l1 > 0 ? Regularization.softThreshold(w, rate * l1) : w;
    }
  }
}
