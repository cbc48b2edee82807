package io.streamsgd.core.model;

import io.streamsgd.core.feature.FeatureVector;
import java.util.Arrays;

/**
 * Parameters of a linear model with {@code outputs} score functions over {@code dimension}
 * features: {@code score_j(x) = intercepts[j] + weights[j*dimension .. (j+1)*dimension) . x}. One
 * output for regression and binary classification, k for k-class softmax.
 */
public final class LinearModel {
  private final int outputs;
  private final int dimension;
  private final double[] weights; // row-major outputs x dimension
  private final double[] intercepts;

  public LinearModel(int outputs, int dimension, double[] weights, double[] intercepts) {
    if (outputs < 1 || dimension < 1) {
      throw new IllegalArgumentException(
          "a linear model needs outputs >= 1 and dimension >= 1, got "
              + outputs
              + " x "
              + dimension);
    }
    if (weights.length != (long) outputs * dimension || intercepts.length != outputs) {
      throw new IllegalArgumentException(
          "parameter arrays do not match shape "
              + outputs
              + " x "
              + dimension
              + ": weights "
              + weights.length
              + ", intercepts "
              + intercepts.length);
    }
    this.outputs = outputs;
    this.dimension = dimension;
    this.weights = weights;
    this.intercepts = intercepts;
  }

  /** All parameters zero, the usual start for convex linear models. */
  public static LinearModel zeros(int outputs, int dimension) {
    return new LinearModel(
        outputs,
        dimension,
        new double[Math.multiplyExact(outputs, dimension)],
        new double[outputs]);
  }

  public int outputs() {
    return outputs;
  }

  public int dimension() {
    return dimension;
  }

  /** The weight matrix, row-major, not a copy: the optimizer updates it in place. */
  public double[] weights() {
    return weights;
  }

  /** The intercepts, not a copy. */
  public double[] intercepts() {
    return intercepts;
  }

  public double weight(int output, int feature) {
    return weights[output * dimension + feature];
  }

  /** Score of one output for one feature vector (the margin, before any link function). */
  public double score(FeatureVector x, int output) {
    return intercepts[output] + x.dot(weights, output * dimension);
  }

  /** Writes all {@code outputs} scores of {@code x} into {@code out}. */
  public void scores(FeatureVector x, double[] out) {
    for (int j = 0; j < outputs; j++) {
      out[j] = score(x, j);
    }
  }

  public boolean allFinite() {
    for (double w : weights) {
      if (!Double.isFinite(w)) {
        return false;
      }
    }
    for (double b : intercepts) {
      if (!Double.isFinite(b)) {
        return false;
      }
    }
    return true;
  }

  public LinearModel copy() {
    return new LinearModel(outputs, dimension, weights.clone(), intercepts.clone());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LinearModel)) {
      return false;
    }
    LinearModel other = (LinearModel) o;
    return outputs == other.outputs
        && dimension == other.dimension
        && Arrays.equals(weights, other.weights)
        && Arrays.equals(intercepts, other.intercepts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + Arrays.hashCode(intercepts);
  }

  @Override
  public String toString() {
    return "LinearModel{"
        + outputs
        + "x"
        + dimension
        + ", intercepts="
        + Arrays.toString(intercepts)
        + "}";
  }
}
