package io.streamsgd.input.format;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.): an images file of unsigned bytes
 * (magic 0x00000803, count, rows, columns) and a labels file (magic 0x00000801, count), optionally
 * gzipped. Pixels are scaled to [0, 1].
 */
public final class IdxReader implements SampleFileReader {
  private final InputFile imagesFile;
  private final InputFile labelsFile;
  private final DataInputStream images;
  private final DataInputStream labels;
  private final int count;
  private final int pixels;
  private int read;

  public IdxReader(Path imagesFile, Path labelsFile) throws IOException {
    this.imagesFile = InputFile.open(imagesFile);
    this.labelsFile = InputFile.open(labelsFile);
    images = new DataInputStream(new BufferedInputStream(this.imagesFile.content(), 1 << 16));
    labels = new DataInputStream(new BufferedInputStream(this.labelsFile.content(), 1 << 16));
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
  public long bytesRead() {
    return imagesFile.bytesRead() + labelsFile.bytesRead();
  }

  @Override
  public long bytesTotal() {
    return imagesFile.size() + labelsFile.size();
  }

  @Override
  public void close() throws IOException {
    images.close();
    labels.close();
  }
}
