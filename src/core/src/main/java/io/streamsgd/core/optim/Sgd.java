package io.streamsgd.core.optim;

/** Gradient descent: {@code w <- prox_l1(w - eta (g + l2 w))}. */
public final class Sgd implements Optimizer {

  @Override
  public int slotCount() {
    return 0;
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
    for (int i = 0; i < n; i++) {
      int p = index == null ? i : index[i];
      double w = params[p] - eta * (grad[i] + l2 * params[p]);
      params[p] = l1 > 0 ? Regularization.softThreshold(w, l1) : w;
    }
  }
}
