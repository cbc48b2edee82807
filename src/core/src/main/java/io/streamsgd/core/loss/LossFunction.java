package io.streamsgd.core.loss;

import io.streamsgd.schema.Loss;
import io.streamsgd.schema.Task;

/**
 * A loss on a single output's margin {@code z = w.x + b}. Implementations are stateless
 * singletons; {@link #derivative} is d loss / d z, so the gradient of a linear model is
 * {@code derivative(z, y) * x} for the weights and {@code derivative(z, y)} for the intercept.
 */
public interface LossFunction {

  double value(double margin, double label);

  double derivative(double margin, double label);

  /**
   * What a prediction reports for a margin: the regression value, or the probability of the
   * positive class for probabilistic classifiers.
   */
  double link(double margin);

  /** The task this loss trains. */
  Task task();

  static LossFunction of(Loss loss) {
    switch (loss) {
      case SQUARED:
        return SquaredLoss.INSTANCE;
      case LOGISTIC:
        return LogisticLoss.INSTANCE;
      default:
        throw new IllegalArgumentException("unsupported loss " + loss);
    }
  }
}
