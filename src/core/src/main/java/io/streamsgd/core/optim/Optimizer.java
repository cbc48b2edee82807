package io.streamsgd.core.optim;

import io.streamsgd.schema.OptimizerSpec;

/**
 * An update rule. Given a block of parameters (a model's weights, or its intercepts), the
 * coordinates a minibatch touched and their mean loss gradient, it changes those parameters in
 * place, regularization included (L2 as a gradient term, L1 as a proximal step, so weights reach
 * exactly zero). Per-parameter state lives in {@code slots}, kept by the caller in checkpointed
 * state, so a restore resumes the exact trajectory.
 */
public interface Optimizer {

  /** How many slot arrays (each as long as the parameter vector) this optimizer keeps. */
  int slotCount();

  /**
   * One step.
   *
   * @param params the parameter block
   * @param index positions in {@code params} to update, strictly increasing; null for all of them
   * @param grad mean loss gradient, aligned with {@code index} (or with {@code params})
   * @param n number of coordinates to update
   * @param slots slot arrays; this block's slots start at {@code slotBase}
   */
  void update(
      double[] params,
      int[] index,
      double[] grad,
      int n,
      double[][] slots,
      int slotBase,
      Step step);

  /**
   * What one step uses: the update count t (1, 2, ...), the scheduled learning rate, and the
   * penalties (zero for intercepts).
   */
  record Step(long t, double learningRate, double l1, double l2) {}

  static Optimizer of(OptimizerSpec spec) {
    switch (spec.getKind()) {
      case SGD:
        return new Sgd();
      case MOMENTUM:
        return new MomentumSgd(spec.getMomentum(), false);
      case NESTEROV:
        return new MomentumSgd(spec.getMomentum(), true);
      case ADAGRAD:
        return new AdaGrad(spec.getEpsilon());
      case RMSPROP:
        return new RmsProp(spec.getRho(), spec.getEpsilon());
      case ADAM:
        return new Adam(spec.getBeta1(), spec.getBeta2(), spec.getEpsilon());
      case FTRL:
        return new FtrlProximal(spec.getFtrlBeta());
      default:
        throw new IllegalArgumentException("unsupported optimizer " + spec.getKind());
    }
  }

  /** Whether regularization of untouched coordinates must be caught up on their next touch. */
  default boolean needsLazyRegularization() {
    return true;
  }
}
