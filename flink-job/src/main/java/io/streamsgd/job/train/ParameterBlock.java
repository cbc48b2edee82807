package io.streamsgd.job.train;

import java.util.Arrays;

/**
 * A block of a sparse model's columns as the block layout stores them in keyed map state: the
 * stored columns whose index shares the block's high bits, increasing, each with its weights, slots
 * (per column: outputs weights, then each slot's outputs values) and touch marks. A batch reads and
 * writes only the blocks of the columns it touches, so an incremental RocksDB checkpoint uploads
 * what changed, not the whole model.
 */
public final class ParameterBlock {
  /** Columns per block: 2^6. Small, so a per-sample update rewrites little. */
  public static final int BITS = 6;

  final int[] columns;
  final double[] values; // columns.length x (outputs x (1 + slots))
  final long[] touchedAt; // columns.length x outputs, or null

  public ParameterBlock(int[] columns, double[] values, long[] touchedAt) {
    this.columns = columns;
    this.values = values;
    this.touchedAt = touchedAt;
  }

  public static int blockOf(int column) {
    return column >>> BITS;
  }

  public int[] columns() {
    return columns;
  }

  public double[] values() {
    return values;
  }

  public long[] touchedAt() {
    return touchedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterBlock b
        && Arrays.equals(columns, b.columns)
        && Arrays.equals(values, b.values)
        && Arrays.equals(touchedAt, b.touchedAt);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(columns);
  }
}
