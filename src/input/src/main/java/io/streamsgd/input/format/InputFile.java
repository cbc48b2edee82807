package io.streamsgd.input.format;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A file opened for reading, gunzipped when it ends in {@code .gz}, that counts the bytes read from
 * disk: progress is bytes read of the file's size, for compressed files too.
 */
final class InputFile {
  private final Path path;
  private final long size;
  private final Counting counted;

  private InputFile(Path path) throws IOException {
    this.path = path;
    this.size = Files.size(path);
    this.counted = new Counting(Files.newInputStream(path));
  }

  static InputFile open(Path path) throws IOException {
    return new InputFile(path);
  }

  /** The content, gunzipped when the name ends in {@code .gz}. */
  InputStream content() throws IOException {
    return path.toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted;
  }

  /** The content as UTF-8 text. */
  BufferedReader text() throws IOException {
    return new BufferedReader(new InputStreamReader(content(), StandardCharsets.UTF_8), 1 << 16);
  }

  /** Bytes read from disk so far (ahead of the parser by at most a buffer). */
  long bytesRead() {
    return counted.count;
  }

  /** The file's size on disk. */
  long size() {
    return size;
  }

  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
