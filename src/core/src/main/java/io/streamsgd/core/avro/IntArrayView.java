package io.streamsgd.core.avro;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A fixed-size {@code List<Integer>} view of an {@code int[]}: hands a sparse model's columns to
 * Avro's generated classes without boxing them into a list first.
 */
public final class IntArrayView extends AbstractList<Integer> implements RandomAccess {
  private final int[] values;

  public IntArrayView(int[] values) {
    this.values = values;
  }

  @Override
  public Integer get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** Unboxes any list of ints, with a fast path for this view. */
  public static int[] toArray(List<Integer> list) {
    if (list instanceof IntArrayView) {
      return ((IntArrayView) list).values.clone();
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
