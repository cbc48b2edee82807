package io.streamsgd.core.feature;

import java.util.Arrays;

/**
 * A feature vector: dense (every coordinate), sparse (strictly increasing indices and their values)
 * or hashed (32-bit hashes of feature names, in any order, folded into a model's 2^hashBits buckets
 * with {@link #fold} once the model is known).
 *
 * <p>Instances share the arrays they are given: nothing here copies, so the hot path allocates
 * nothing. Callers must not mutate arrays after handing them over.
 */
public final class FeatureVector {
  /** How the coordinates are stored. */
  public enum Kind {
    DENSE,
    SPARSE,
    HASHED
  }

  private final Kind kind;
  private final int[] indices; // null when dense; raw hashes when hashed
  private final double[] values;

  private FeatureVector(Kind kind, int[] indices, double[] values) {
    this.kind = kind;
    this.indices = indices;
    this.values = values;
  }

  public static FeatureVector dense(double[] values) {
    return new FeatureVector(Kind.DENSE, null, values);
  }

  public static FeatureVector sparse(int[] indices, double[] values) {
    return new FeatureVector(Kind.SPARSE, checkLengths(indices, values), values);
  }

  /** Features by name hash ({@link FeatureHasher#hash}); fold before use. */
  public static FeatureVector hashed(int[] hashes, double[] values) {
    return new FeatureVector(Kind.HASHED, checkLengths(hashes, values), values);
  }

  /** Named features, hashed. */
  public static FeatureVector named(String[] names, double[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(names.length + " names but " + values.length + " values");
    }
    int[] hashes = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      hashes[i] = FeatureHasher.hash(names[i]);
    }
    return new FeatureVector(Kind.HASHED, hashes, values);
  }

  private static int[] checkLengths(int[] indices, double[] values) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          indices.length + " indices but " + values.length + " values");
    }
    return indices;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isDense() {
    return kind == Kind.DENSE;
  }

  public boolean isHashed() {
    return kind == Kind.HASHED;
  }

  /**
   * The sparse vector over 2^bits buckets: each hash's lowest bits are its index, colliding names
   * add up. Deterministic: the result depends only on the names, values and order given.
   */
  public FeatureVector fold(int bits) {
    if (kind != Kind.HASHED) {
      throw new IllegalStateException("only hashed features fold, this is " + kind);
    }
    int mask = (1 << bits) - 1;
    int n = values.length;
    long[] packed =
        new long[n]; // bucket in the high half, position in the low half: a stable sort key
    for (int i = 0; i < n; i++) {
      packed[i] = ((long) (indices[i] & mask) << 32) | i;
    }
    Arrays.sort(packed);
    int[] idx = new int[n];
    double[] val = new double[n];
    int m = -1;
    for (long p : packed) {
      int bucket = (int) (p >>> 32);
      double v = values[(int) p];
      if (m >= 0 && idx[m] == bucket) {
        val[m] += v;
      } else {
        m++;
        idx[m] = bucket;
        val[m] = v;
      }
    }
    return new FeatureVector(Kind.SPARSE, Arrays.copyOf(idx, m + 1), Arrays.copyOf(val, m + 1));
  }

  /** Number of stored coordinates: the dimension when dense, the non-zeros otherwise. */
  public int size() {
    return values.length;
  }

  /** Index of the i-th stored coordinate (a raw hash when hashed). */
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

  /**
   * {@code sum_i w[offset + index_i] * value_i}: the dot product with one row of a weight matrix.
   */
  public double dot(double[] w, int offset) {
    requireFolded();
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

  public double squaredNorm() {
    double s = 0.0;
    for (double v : values) {
      s += v * v;
    }
    return s;
  }

  private void requireFolded() {
    if (kind == Kind.HASHED) {
      throw new IllegalStateException(
          "hashed features must be folded into the model's buckets first");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FeatureVector)) {
      return false;
    }
    FeatureVector other = (FeatureVector) o;
    return kind == other.kind
        && Arrays.equals(indices, other.indices)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return kind == Kind.DENSE
        ? "dense" + Arrays.toString(values)
        : kind.name().toLowerCase(java.util.Locale.ROOT)
            + Arrays.toString(indices)
            + "="
            + Arrays.toString(values);
  }
}
