package io.streamsgd.core.model;

import io.streamsgd.core.feature.FeatureVector;
import java.util.Arrays;

/**
 * Parameters of a linear model with {@code outputs} score functions over {@code dimension}
 * features: {@code score_j(x) = intercepts[j] + w_j . x}. One output for regression and binary
 * classification, k for k-class softmax.
 *
 * <p>Dense, {@code w_j = weights[j*dimension .. (j+1)*dimension)}; or sparse, for large hashed
 * models: only the {@code columns} (strictly increasing feature indices) that have a weight are
 * stored, {@code w_j[columns[c]] = weights[j*columns.length + c]}, every other weight zero. A
 * sparse model scores a sparse vector in the same order of additions as the dense one, so both give
 * the same bits.
 */
public final class LinearModel {
  private final int outputs;
  private final int dimension;
  private final double[] weights; // row-major outputs x dimension, or outputs x columns.length
  private final double[] intercepts;
  private final int[] columns; // null: dense

  public LinearModel(int outputs, int dimension, double[] weights, double[] intercepts) {
    this(outputs, dimension, null, weights, intercepts);
  }

  private LinearModel(
      int outputs, int dimension, int[] columns, double[] weights, double[] intercepts) {
    if (outputs < 1 || dimension < 1) {
      throw new IllegalArgumentException(
          "a linear model needs outputs >= 1 and dimension >= 1, got "
              + outputs
              + " x "
              + dimension);
    }
    long width = columns == null ? dimension : columns.length;
    if (weights.length != outputs * width || intercepts.length != outputs) {
      throw new IllegalArgumentException(
          "parameter arrays do not match shape "
              + outputs
              + " x "
              + dimension
              + (columns == null ? "" : " over " + columns.length + " columns")
              + ": weights "
              + weights.length
              + ", intercepts "
              + intercepts.length);
    }
    this.outputs = outputs;
    this.dimension = dimension;
    this.weights = weights;
    this.intercepts = intercepts;
    this.columns = columns == null ? null : checkColumns(columns, dimension);
  }

  /**
   * A sparse model: {@code columns} strictly increasing in [0, dimension), {@code weights}
   * row-major outputs x columns.length. The arrays are used as given, not copied.
   */
  public static LinearModel sparse(
      int outputs, int dimension, int[] columns, double[] weights, double[] intercepts) {
    return new LinearModel(outputs, dimension, columns, weights, intercepts);
  }

  private static int[] checkColumns(int[] columns, int dimension) {
    for (int c = 0; c < columns.length; c++) {
      if (columns[c] < 0 || columns[c] >= dimension || (c > 0 && columns[c] <= columns[c - 1])) {
        throw new IllegalArgumentException(
            "sparse columns must increase strictly within [0, "
                + dimension
                + "), column "
                + c
                + " is "
                + columns[c]);
      }
    }
    return columns;
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

  /**
   * The stored weights, row-major (outputs x dimension, or outputs x columns when sparse), not a
   * copy: the optimizer updates a dense model in place.
   */
  public double[] weights() {
    return weights;
  }

  /** The columns a sparse model stores, strictly increasing; null when dense. */
  public int[] columns() {
    return columns;
  }

  public boolean isSparse() {
    return columns != null;
  }

  /** Weights stored: outputs x dimension when dense, outputs x columns when sparse. */
  public int storedWeights() {
    return weights.length;
  }

  /** The intercepts, not a copy. */
  public double[] intercepts() {
    return intercepts;
  }

  public double weight(int output, int feature) {
    if (columns == null) {
      return weights[output * dimension + feature];
    }
    int c = Arrays.binarySearch(columns, feature);
    return c < 0 ? 0.0 : weights[output * columns.length + c];
  }

  /** Score of one output for one feature vector (the margin, before any link function). */
  public double score(FeatureVector x, int output) {
    if (columns == null) {
      return intercepts[output] + x.dot(weights, output * dimension);
    }
    // The dense dot product's additions in its order; a missing column adds a zero product.
    int row = output * columns.length;
    double s = 0.0;
    for (int e = 0; e < x.size(); e++) {
      int c = Arrays.binarySearch(columns, x.indexAt(e));
      s += (c < 0 ? 0.0 : weights[row + c]) * x.valueAt(e);
    }
    return intercepts[output] + s;
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

  /** This model spread over its full dimension: itself when dense, else a dense copy. */
  public LinearModel toDense() {
    if (columns == null) {
      return this;
    }
    double[] dense = new double[Math.multiplyExact(outputs, dimension)];
    for (int j = 0; j < outputs; j++) {
      for (int c = 0; c < columns.length; c++) {
        dense[j * dimension + columns[c]] = weights[j * columns.length + c];
      }
    }
    return new LinearModel(outputs, dimension, dense, intercepts.clone());
  }

  public LinearModel copy() {
    return new LinearModel(
        outputs,
        dimension,
        columns == null ? null : columns.clone(),
        weights.clone(),
        intercepts.clone());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LinearModel)) {
      return false;
    }
    LinearModel other = (LinearModel) o;
    return outputs == other.outputs
        && dimension == other.dimension
        && Arrays.equals(columns, other.columns)
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
        + (columns == null ? "" : ", " + columns.length + " columns stored")
        + ", intercepts="
        + Arrays.toString(intercepts)
        + "}";
  }
}
