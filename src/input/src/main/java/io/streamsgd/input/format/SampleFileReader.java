package io.streamsgd.input.format;

import java.io.IOException;

/** Reads examples from a file, one at a time. */
public interface SampleFileReader extends AutoCloseable {

  /** The next example, or null at the end of the input. */
  ParsedSample next() throws IOException, BadLineException;

  /** The line (or record number) of the example last returned or refused. */
  long position();

  /** Bytes of the input read from disk so far (of the compressed file, for .gz), for progress. */
  long bytesRead();

  /** The input's size on disk, in bytes. */
  long bytesTotal();

  /** What the reader made of the input's columns, for the console; empty when it had no choice. */
  default String columns() {
    return "";
  }

  /** Warnings about the input a user should act on (features far from unit scale), if any. */
  default java.util.List<String> advice() {
    return java.util.List.of();
  }

  @Override
  void close() throws IOException;

  /** A line that is not an example in the reader's format; reading continues after it. */
  final class BadLineException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadLineException(String message) {
      super(message, null, false, false);
    }
  }
}
