package io.streamsgd.core.avro;

import io.streamsgd.schema.codec.DecodeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads Avro's binary encoding (zig-zag varints, little-endian IEEE doubles, length-prefixed
 * strings, blocked arrays) straight from a byte array into primitives and primitive arrays, with
 * bounds checked before every read: nothing is boxed, nothing is buffered, and a count that the
 * remaining bytes cannot hold fails before anything is allocated for it.
 */
final class AvroBinaryCursor {
  private static final VarHandle DOUBLE_LE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final double[] NO_DOUBLES = new double[0];
  private static final int[] NO_INTS = new int[0];

  private final byte[] buf;
  private int pos;

  AvroBinaryCursor(byte[] buf, int offset) {
    this.buf = buf;
    this.pos = offset;
  }

  long readLong() throws DecodeException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= buf.length) {
        throw truncated();
      }
      byte b = buf[pos++];
      raw |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new DecodeException(DecodeException.Kind.MALFORMED, "varint longer than 10 bytes");
  }

  /** At most five bytes; as in Avro's own decoder, bits past the 32nd are dropped, not refused. */
  int readInt() throws DecodeException {
    int raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= buf.length) {
        throw truncated();
      }
      byte b = buf[pos++];
      raw |= (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new DecodeException(DecodeException.Kind.MALFORMED, "varint int longer than 5 bytes");
  }

  double readDouble() throws DecodeException {
    need(8);
    double v = (double) DOUBLE_LE.get(buf, pos);
    pos += 8;
    return v;
  }

  String readString() throws DecodeException {
    int length = readInt();
    if (length < 0) {
      throw new DecodeException(DecodeException.Kind.MALFORMED, "negative string length " + length);
    }
    need(length);
    String s = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  double[] readDoubleArray() throws DecodeException {
    double[] out = NO_DOUBLES;
    int n = 0;
    for (long count = blockCount(8); count > 0; count = blockCount(8)) {
      int items = (int) count;
      out = out.length >= n + items ? out : Arrays.copyOf(out, n + items);
      // One bulk copy (Avro doubles are little-endian, as the CPU usually is): much cheaper than
      // assembling each value, which is what dominated the decoder's profile.
      ByteBuffer.wrap(buf, pos, items * Double.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asDoubleBuffer()
          .get(out, n, items);
      n += items;
      pos += items * Double.BYTES;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  int[] readIntArray() throws DecodeException {
    int[] out = NO_INTS;
    int n = 0;
    for (long count = blockCount(1); count > 0; count = blockCount(1)) {
      int size = n + (int) count;
      out = out.length >= size ? out : Arrays.copyOf(out, size);
      for (long i = 0; i < count; i++) {
        out[n++] = readInt();
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  String[] readStringArray() throws DecodeException {
    String[] out = new String[0];
    int n = 0;
    for (long count = blockCount(1); count > 0; count = blockCount(1)) {
      int size = n + (int) count;
      out = out.length >= size ? out : Arrays.copyOf(out, size);
      for (long i = 0; i < count; i++) {
        out[n++] = readString();
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * The item count of the next array block (0 ends the array). A negative count is followed by the
   * block's byte size (Avro spec, "Complex types: arrays"). Fails as truncated when the remaining
   * bytes cannot hold {@code count} items of at least {@code minItemBytes} each, so every count
   * (and every array size summed from counts) is below the record's length.
   */
  private long blockCount(int minItemBytes) throws DecodeException {
    long count = readLong();
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        throw new DecodeException(DecodeException.Kind.MALFORMED, "array block count out of range");
      }
      count = -count;
      readLong(); // the block's size in bytes, for skipping: not needed here
    }
    if (count > (buf.length - pos) / minItemBytes) {
      throw truncated();
    }
    return count;
  }

  private void need(int bytes) throws DecodeException {
    if (bytes > buf.length - pos) {
      throw truncated();
    }
  }

  private static DecodeException truncated() {
    return new DecodeException(DecodeException.Kind.TRUNCATED, "record ends early");
  }
}
