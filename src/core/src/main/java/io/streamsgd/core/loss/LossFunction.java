package io.streamsgd.core.loss;

import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;

/**
 * A loss on a linear model's scores {@code z_j = w_j . x + b_j}, j = 0..k-1 (k = 1 except for
 * softmax). Its gradient with respect to the scores is all the trainer needs: the weight gradient
 * is {@code dL/dz_j * x}, the intercept gradient {@code dL/dz_j}. Implementations are immutable and
 * thread-safe.
 */
public interface LossFunction {

  /** The task this loss trains. */
  Task task();

  /** Number of scores per sample: 1, or the number of classes for softmax. */
  int outputs(int numClasses);

  /**
   * The loss of the scores {@code z[off .. off+k)} for {@code label}; writes d loss / d z_j into
   * {@code grad[goff .. goff+k)}.
   */
  double lossAndGradient(double[] z, int off, int k, double label, double[] grad, int goff);

  /** The loss alone (for evaluation and tests). */
  double loss(double[] z, int off, int k, double label);

  /** What the model says for the scores {@code z[off .. off+k)}. */
  ModelOutput predict(double[] z, int off, int k);

  /** The predicted class, or -1 for regression; equal to {@code predict(...).predictedClass()}. */
  int predictedClass(double[] z, int off, int k);

  static LossFunction of(ModelSpec spec) {
    switch (spec.getLoss()) {
      case SQUARED:
        return SquaredLoss.INSTANCE;
      case HUBER:
        return new HuberLoss(spec.getHuberDelta());
      case EPSILON_INSENSITIVE:
        return new EpsilonInsensitiveLoss(spec.getEpsilon());
      case LOGISTIC:
        return LogisticLoss.INSTANCE;
      case HINGE:
        return HingeLoss.INSTANCE;
      case MODIFIED_HUBER:
        return ModifiedHuberLoss.INSTANCE;
      case SOFTMAX:
        return SoftmaxLoss.INSTANCE;
      default:
        throw new IllegalArgumentException("unsupported loss " + spec.getLoss());
    }
  }
}
