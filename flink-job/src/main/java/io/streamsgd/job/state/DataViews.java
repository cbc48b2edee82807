package io.streamsgd.job.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Length-prefixed primitive arrays on Flink's data views, big-endian as {@code DataOutput} writes
 * them. Whole arrays move as one byte block: a checkpoint stream wrapped in a {@code
 * DataOutputStream} would otherwise take one call per byte group of every value, which made the
 * open batches' snapshots the single largest CPU cost of the trainer.
 */
final class DataViews {
  private DataViews() {}

  static void writeDoubles(double[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    byte[] bytes = new byte[values.length * Double.BYTES];
    DoubleBuffer view = ByteBuffer.wrap(bytes).asDoubleBuffer();
    view.put(values);
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        view.put(i, Double.NaN); // canonical, as DataOutput.writeDouble writes NaN
      }
    }
    out.write(bytes);
  }

  static double[] readDoubles(DataInputView in) throws IOException {
    int n = length(in, Double.BYTES);
    byte[] bytes = new byte[n * Double.BYTES];
    in.readFully(bytes);
    double[] values = new double[n];
    ByteBuffer.wrap(bytes).asDoubleBuffer().get(values);
    return values;
  }

  static void writeInts(int[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    byte[] bytes = new byte[values.length * Integer.BYTES];
    ByteBuffer.wrap(bytes).asIntBuffer().put(values);
    out.write(bytes);
  }

  static int[] readInts(DataInputView in) throws IOException {
    int n = length(in, Integer.BYTES);
    byte[] bytes = new byte[n * Integer.BYTES];
    in.readFully(bytes);
    int[] values = new int[n];
    ByteBuffer.wrap(bytes).asIntBuffer().get(values);
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
