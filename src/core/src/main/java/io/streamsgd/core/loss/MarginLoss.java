package io.streamsgd.core.loss;

import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.schema.Task;

/** A loss on a single score (margin) z: regression and binary classification. */
public abstract class MarginLoss implements LossFunction {

  /** Loss at margin z for the label as given in the sample (a value, or 0/1 for binary). */
  public abstract double value(double z, double label);

  /** d value / d z. */
  public abstract double derivative(double z, double label);

  /**
   * The prediction's value for margin z: the regression value, a probability, or the decision
   * value.
   */
  public abstract double link(double z);

  @Override
  public final int outputs(int numClasses) {
    return 1;
  }

  /**
   * Writes {@code derivative(z, label)} to {@code derivative[at]} and returns {@code value(z,
   * label)}.
   */
  public double valueAndDerivative(double z, double label, double[] derivative, int at) {
    derivative[at] = derivative(z, label);
    return value(z, label);
  }

  @Override
  public final double lossAndGradient(
      double[] z, int off, int k, double label, double[] grad, int goff) {
    return valueAndDerivative(z[off], label, grad, goff);
  }

  @Override
  public final double loss(double[] z, int off, int k, double label) {
    return value(z[off], label);
  }

  @Override
  public final int predictedClass(double[] z, int off, int k) {
    return task() == Task.REGRESSION ? -1 : (z[off] >= 0.0 ? 1 : 0);
  }

  @Override
  public ModelOutput predict(double[] z, int off, int k) {
    double v = link(z[off]);
    return new ModelOutput(z[off], v, predictedClass(z, off, k), null);
  }

  /** Binary labels 0/1 as the signs -1/+1 that margin losses are written in. */
  static double sign(double label) {
    return label > 0.5 ? 1.0 : -1.0;
  }
}
