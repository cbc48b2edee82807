package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * LIBSVM / SVMlight text: {@code label [qid:n] index:value index:value ...}, indices increasing and
 * 1-based unless {@code zeroBased}. Comments after {@code #} are ignored.
 */
public final class LibsvmReader extends TextLineReader {
  private final boolean zeroBased;

  public LibsvmReader(Path file, boolean zeroBased) throws IOException {
    super(file);
    this.zeroBased = zeroBased;
  }

  /** Without the comment after {@code #}. */
  @Override
  String content(String line) {
    int hash = line.indexOf('#');
    return (hash >= 0 ? line.substring(0, hash) : line).strip();
  }

  @Override
  public ParsedSample next() throws IOException, BadLineException {
    String text = nextLine();
    if (text == null) {
      return null;
    }
    String[] tokens = text.split("\\s+");
    try {
      double label = Double.parseDouble(tokens[0]);
      int n = 0;
      int[] indices = new int[tokens.length - 1];
      double[] values = new double[tokens.length - 1];
      for (int t = 1; t < tokens.length; t++) {
        int colon = tokens[t].indexOf(':');
        if (colon < 0) {
          throw bad("'" + tokens[t] + "' is not index:value");
        }
        String key = tokens[t].substring(0, colon);
        if (key.equals("qid")) {
          continue;
        }
        indices[n] = Integer.parseInt(key) - (zeroBased ? 0 : 1);
        values[n] = Double.parseDouble(tokens[t].substring(colon + 1));
        n++;
      }
      return new ParsedSample(
          null,
          ParsedSample.sparse(
              java.util.Arrays.copyOf(indices, n), java.util.Arrays.copyOf(values, n)),
          label,
          1.0);
    } catch (NumberFormatException e) {
      throw bad(e);
    }
  }
}
