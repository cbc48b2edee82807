package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The layout shared by detectors' written state: a format byte, the kind's code, then the
 * detector's own fields. Doubles are written as their raw bits, so a NaN payload or a negative zero
 * comes back as it was.
 */
final class StateIo {
  static final int FORMAT = 1;

  private StateIo() {}

  static void writeHeader(DataOutput out, DriftDetectorKind kind) throws IOException {
    out.writeByte(FORMAT);
    out.writeByte(kind.code());
  }

  /** Reads the header and returns the kind it names. */
  static DriftDetectorKind readHeader(DataInput in) throws IOException {
    int format = in.readUnsignedByte();
    if (format != FORMAT) {
      throw new IOException("unknown drift detector state format " + format);
    }
    int code = in.readUnsignedByte();
    DriftDetectorKind kind = DriftDetectorKind.ofCode(code);
    if (kind == null) {
      throw new IOException("unknown drift detector kind code " + code);
    }
    return kind;
  }

  static void writeDouble(DataOutput out, double v) throws IOException {
    out.writeLong(Double.doubleToRawLongBits(v));
  }

  static double readDouble(DataInput in) throws IOException {
    return Double.longBitsToDouble(in.readLong());
  }

  static long readCount(DataInput in, String what) throws IOException {
    long v = in.readLong();
    if (v < 0) {
      throw new IOException("negative " + what + " in drift detector state: " + v);
    }
    return v;
  }

  /** Builds a detector from parameters read from state, reporting bad ones as corrupt input. */
  static <T> T params(ParamsReader<T> make) throws IOException {
    try {
      return make.make();
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid drift detector parameters in state: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  interface ParamsReader<T> {
    T make();
  }

  static void requireFinite(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("drift detector input must be finite, got " + value);
    }
  }

  static void requireBinary(double value) {
    if (value != 0.0 && value != 1.0) {
      throw new IllegalArgumentException(
          "this drift detector reads 0/1 errors (1 = error), got " + value);
    }
  }

  static DriftSignal signal(boolean drift, boolean warning) {
    return drift ? DriftSignal.DRIFT : warning ? DriftSignal.WARNING : DriftSignal.STABLE;
  }
}
