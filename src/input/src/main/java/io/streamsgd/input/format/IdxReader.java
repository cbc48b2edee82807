package io.streamsgd.input.format;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.): an images file of unsigned bytes
 * (magic 0x00000803, count, rows, columns) and a labels file (magic 0x00000801, count), optionally
 * gzipped. Pixels are scaled to [0, 1].
 */
public final class IdxReader implements SampleFileReader {
  private final DataInputStream images;
  private final DataInputStream labels;
  private final int count;
  private final int pixels;
  private int read;

  public IdxReader(Path imagesFile, Path labelsFile) throws IOException {
    images = open(imagesFile);
    labels = open(labelsFile);
    int imageMagic = images.readInt();
    int labelMagic = labels.readInt();
    if (imageMagic != 0x803 || labelMagic != 0x801) {
      close();
      throw new IOException(
          String.format("not IDX image/label files (magic 0x%x, 0x%x)", imageMagic, labelMagic));
    }
    count = images.readInt();
    int labelCount = labels.readInt();
    if (count != labelCount) {
      close();
      throw new IOException(count + " images but " + labelCount + " labels");
    }
    pixels = images.readInt() * images.readInt();
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return new DataInputStream(
        file.toString().endsWith(".gz")
            ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16))
            : in);
  }

  public int count() {
    return count;
  }

  public int pixels() {
    return pixels;
  }

  /** The next image's pixels in [0, 1] into {@code out}; returns its label, or -1 at the end. */
  public int next(double[] out) throws IOException {
    if (read == count) {
      return -1;
    }
    byte[] raw = new byte[pixels];
    images.readFully(raw);
    for (int i = 0; i < pixels; i++) {
      out[i] = (raw[i] & 0xff) / 255.0;
    }
    read++;
    return labels.readUnsignedByte();
  }

  @Override
  public ParsedSample next() throws IOException {
    double[] x = new double[pixels];
    int label = next(x);
    return label < 0 ? null : new ParsedSample(null, ParsedSample.dense(x), label, 1.0);
  }

  @Override
  public long position() {
    return read;
  }

  @Override
  public void close() throws IOException {
    images.close();
    labels.close();
  }
}
