package io.streamsgd.core.optim;

import io.streamsgd.schema.OptimizerSpec;

/** The learning rate of update t = 1, 2, ... under the spec's schedule. */
public final class LearningRate {
  private LearningRate() {}

  public static double at(OptimizerSpec spec, long t) {
    return spec.getLearningRate() * factor(spec, t);
  }

  /** The intercepts' rate: their own base rate when set, under the same schedule. */
  public static double interceptAt(OptimizerSpec spec, long t) {
    Double base = spec.getInterceptLearningRate();
    return (base == null ? spec.getLearningRate() : base) * factor(spec, t);
  }

  /** The schedule's multiplier of the base rate at update t. */
  static double factor(OptimizerSpec spec, long t) {
    switch (spec.getSchedule()) {
      case INVERSE_SCALING:
        return 1.0 / Math.pow(t, spec.getPowerT());
      case STEP_DECAY:
        return Math.pow(spec.getDecayRate(), Math.floor((t - 1) / (double) spec.getDecaySteps()));
      case EXPONENTIAL_DECAY:
        return Math.pow(spec.getDecayRate(), (t - 1) / (double) spec.getDecaySteps());
      default:
        return 1.0;
    }
  }
}
