package io.streamsgd.input.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A reader of a text format with one example per line: skips blank lines (and what {@link #content}
 * drops, such as comments), counts lines for error messages, closes the file.
 */
abstract class TextLineReader implements SampleFileReader {
  private final InputFile file;
  private final BufferedReader in;
  private long line;
  private String whole;

  TextLineReader(Path file) throws IOException {
    this.file = InputFile.open(file);
    this.in = this.file.text();
  }

  /** The part of a line that holds the example; blank when the line holds none. */
  String content(String line) {
    return line;
  }

  /** The next line that holds an example, or null at the end of the file. */
  final String nextLine() throws IOException {
    String text;
    do {
      text = in.readLine();
      if (text == null) {
        return null;
      }
      line++;
      whole = text;
      text = content(text);
    } while (text.isBlank());
    return text;
  }

  /** The whole of the line {@link #nextLine} returned the content of. */
  final String wholeLine() {
    return whole;
  }

  /** A line that is not an example, named by its number. */
  final BadLineException bad(NumberFormatException e) {
    return bad(e.getMessage());
  }

  /** A line that is not an example, named by its number, for {@code reason}. */
  final BadLineException bad(String reason) {
    return new BadLineException("line " + line + ": " + reason);
  }

  @Override
  public final long position() {
    return line;
  }

  @Override
  public final long bytesRead() {
    return file.bytesRead();
  }

  @Override
  public final long bytesTotal() {
    return file.size();
  }

  @Override
  public final void close() throws IOException {
    in.close();
  }
}
