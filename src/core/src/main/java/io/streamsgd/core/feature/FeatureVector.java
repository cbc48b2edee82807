package io.streamsgd.core.feature;

import java.util.Arrays;

/**
 * A feature vector, dense or sparse. Dense: {@code values} holds every coordinate. Sparse:
 * {@code indices} (strictly increasing) and {@code values} hold the non-zero coordinates.
 *
 * <p>Instances share the arrays they are given: nothing here copies, so the hot path allocates
 * nothing. Callers must not mutate arrays after handing them over.
 */
public final class FeatureVector {
  private final int[] indices; // null when dense
  private final double[] values;

  private FeatureVector(int[] indices, double[] values) {
    this.indices = indices;
    this.values = values;
  }

  public static FeatureVector dense(double[] values) {
    return new FeatureVector(null, values);
  }

  public static FeatureVector sparse(int[] indices, double[] values) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "sparse vector has " + indices.length + " indices but " + values.length + " values");
    }
    return new FeatureVector(indices, values);
  }

  public boolean isDense() {
    return indices == null;
  }

  /** Number of stored coordinates: the dimension when dense, the non-zeros when sparse. */
  public int size() {
    return values.length;
  }

  /** Index of the i-th stored coordinate. */
  public int indexAt(int i) {
    return indices == null ? i : indices[i];
  }

  public double valueAt(int i) {
    return values[i];
  }

  /** The backing value array (not a copy). */
  public double[] values() {
    return values;
  }

  /** The backing index array (not a copy), or null when dense. */
  public int[] indices() {
    return indices;
  }

  /** {@code sum_i w[offset + index_i] * value_i}: the dot product with one row of a weight matrix. */
  public double dot(double[] w, int offset) {
    double s = 0.0;
    if (indices == null) {
      for (int i = 0; i < values.length; i++) {
        s += w[offset + i] * values[i];
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        s += w[offset + indices[i]] * values[i];
      }
    }
    return s;
  }

  /** {@code target[offset + index_i] += scale * value_i}. */
  public void addScaledTo(double[] target, int offset, double scale) {
    if (indices == null) {
      for (int i = 0; i < values.length; i++) {
        target[offset + i] += scale * values[i];
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        target[offset + indices[i]] += scale * values[i];
      }
    }
  }

  public double squaredNorm() {
    double s = 0.0;
    for (double v : values) {
      s += v * v;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FeatureVector)) {
      return false;
    }
    FeatureVector other = (FeatureVector) o;
    return Arrays.equals(indices, other.indices) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return isDense()
        ? "dense" + Arrays.toString(values)
        : "sparse" + Arrays.toString(indices) + "=" + Arrays.toString(values);
  }
}
