package io.streamsgd.core.avro;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A fixed-size {@code List<Double>} view of a {@code double[]}: hands primitive parameters to
 * Avro's generated classes without copying them into boxed lists first.
 */
public final class DoubleArrayView extends AbstractList<Double> implements RandomAccess {
  private final double[] values;

  public DoubleArrayView(double[] values) {
    this.values = values;
  }

  @Override
  public Double get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** Unboxes any list of doubles, with a fast path for this view. */
  public static double[] toArray(List<Double> list) {
    if (list instanceof DoubleArrayView) {
      return ((DoubleArrayView) list).values.clone();
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
