package io.streamsgd.core.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A concept-drift detector: fed one number per sample (a model's prequential loss, or its 0/1 error
 * for classifiers), it says whether the stream's distribution has changed.
 *
 * <p>Detectors are deterministic state machines: their whole state, parameters included, is written
 * by {@link #writeTo} and read back by {@link #readFrom}, and a detector read back and fed the same
 * continuation gives the same signals, and the same state, bit for bit, as the one that was
 * written. Arithmetic is plain IEEE double in a fixed order, with {@link StrictMath} for
 * logarithms, so this holds across JVMs too. An update allocates nothing (ADWIN's bucket arrays
 * grow, rarely, as its window doubles).
 *
 * <p>After {@link DriftSignal#DRIFT} a detector starts over on its next sample, as River's do.
 * Detectors are not thread-safe.
 */
public interface DriftDetector {

  /**
   * Adds one sample and says whether a change was detected.
   *
   * @param value the sample's loss (ADWIN, Page-Hinkley: any finite value) or error (DDM, EDDM: 0
   *     or 1)
   * @throws IllegalArgumentException for a value the detector does not take (NaN, infinite, or not
   *     0/1 for DDM and EDDM); the detector's state is left as it was
   */
  DriftSignal update(double value);

  /** Forgets everything seen, counts included; parameters stay. */
  void reset();

  /** Samples fed since the detector was made or last {@link #reset()}. */
  long samplesSeen();

  /** Changes detected since the detector was made or last {@link #reset()}. */
  long driftsDetected();

  DriftDetectorKind kind();

  /** Writes the detector's parameters and state, to be read back by {@link #readFrom}. */
  void writeTo(DataOutput out) throws IOException;

  /** {@link #writeTo} into a byte array. */
  default byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a detector written by {@link #writeTo}, of whichever kind it is.
   *
   * @throws IOException if the input ends early or does not hold a detector's state
   */
  static DriftDetector readFrom(DataInput in) throws IOException {
    return DriftDetectors.read(in);
  }

  /** {@link #readFrom} over {@link #toBytes()}. */
  static DriftDetector fromBytes(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    DriftDetector detector = readFrom(in);
    if (in.read() != -1) {
      throw new IOException("trailing bytes after a " + detector.kind().id() + " detector's state");
    }
    return detector;
  }
}
