package io.streamsgd.core.optim;

import io.streamsgd.core.model.LinearModel;
import io.streamsgd.schema.OptimizerSpec;

/**
 * An update rule: given the minibatch gradient (already averaged and regularized), change the
 * parameters in place. Per-parameter state (momentum, accumulators) lives in {@code slots},
 * which the caller keeps in checkpointed state so a restore resumes the exact trajectory.
 */
public interface Optimizer {

  /** How many slot arrays of the parameter vector's length this optimizer keeps. */
  int slotCount();

  /**
   * Applies one step.
   *
   * @param step 1 for the first update of a model, +1 per update (drives schedules)
   */
  void apply(LinearModel model, double[] gradWeights, double[] gradIntercepts, double[][] slots, long step);

  static Optimizer of(OptimizerSpec spec) {
    switch (spec.getKind()) {
      case SGD:
        return new Sgd(spec.getLearningRate());
      default:
        throw new IllegalArgumentException("unsupported optimizer " + spec.getKind());
    }
  }
}
