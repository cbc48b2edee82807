package io.streamsgd.job.state;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Length-prefixed primitive arrays on Flink's data views, big-endian as {@code DataOutput} writes
 * them. Whole arrays move as one byte block: a checkpoint stream wrapped in a
 * {@code DataOutputStream} would otherwise take one call per byte group of every value, which
 * made the open batches' snapshots the single largest CPU cost of the trainer.
 */
final class DataViews {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private DataViews() {}

  static void writeDoubles(double[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    byte[] bytes = new byte[values.length * Double.BYTES];
    for (int i = 0; i < values.length; i++) {
      // doubleToLongBits, as DataOutput.writeDouble: the same bytes as before, NaN included
      LONG_BE.set(bytes, i * Double.BYTES, Double.doubleToLongBits(values[i]));
    }
    out.write(bytes);
  }

  static double[] readDoubles(DataInputView in) throws IOException {
    int n = length(in, Double.BYTES);
    byte[] bytes = new byte[n * Double.BYTES];
    in.readFully(bytes);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Double.longBitsToDouble((long) LONG_BE.get(bytes, i * Double.BYTES));
    }
    return values;
  }

  static void writeInts(int[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    byte[] bytes = new byte[values.length * Integer.BYTES];
    for (int i = 0; i < values.length; i++) {
      INT_BE.set(bytes, i * Integer.BYTES, values[i]);
    }
    out.write(bytes);
  }

  static int[] readInts(DataInputView in) throws IOException {
    int n = length(in, Integer.BYTES);
    byte[] bytes = new byte[n * Integer.BYTES];
    in.readFully(bytes);
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = (int) INT_BE.get(bytes, i * Integer.BYTES);
    }
    return values;
  }

  private static int length(DataInputView in, int itemBytes) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > Integer.MAX_VALUE / itemBytes) {
      throw new IOException("corrupt array length " + n);
    }
    return n;
  }
}
