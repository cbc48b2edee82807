package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * LIBSVM / SVMlight text: {@code label [qid:n] index:value index:value ... [# comment]}, indices
 * increasing and 1-based unless {@code zeroBased}. The comment may carry a line's model id and
 * event time as {@code key=value} words, such as {@code # model=LAS time=2001-01-01T06:00:00Z},
 * read when their keys are given; anything else in it is ignored.
 */
public final class LibsvmReader extends TextLineReader {
  private final boolean zeroBased;
  private final String modelIdKey;
  private final String timeKey;

  /**
   * @param modelIdKey the comment's key of the line's model id, or null for one model
   * @param timeKey the comment's key of the line's event time ({@link EventTimeParser}), or null
   */
  public LibsvmReader(Path file, boolean zeroBased, String modelIdKey, String timeKey)
      throws IOException {
    super(file);
    this.zeroBased = zeroBased;
    this.modelIdKey = modelIdKey;
    this.timeKey = timeKey;
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
      Long eventTime = null;
      if (timeKey != null) {
        try {
          eventTime = EventTimeParser.parseMillis(commentValue(timeKey));
        } catch (IllegalArgumentException e) {
          throw bad(timeKey + "=: " + e.getMessage());
        }
      }
      return new ParsedSample(
          modelIdKey == null ? null : commentValue(modelIdKey),
          ParsedSample.sparse(Arrays.copyOf(indices, n), Arrays.copyOf(values, n)),
          label,
          1.0,
          eventTime);
    } catch (NumberFormatException e) {
      throw bad(e);
    }
  }

  /** The value of {@code key=value} in the line's comment. */
  private String commentValue(String key) throws BadLineException {
    String line = wholeLine();
    int hash = line.indexOf('#');
    if (hash >= 0) {
      for (String word : line.substring(hash + 1).strip().split("\\s+")) {
        if (word.startsWith(key)
            && word.length() > key.length()
            && word.charAt(key.length()) == '=') {
          return word.substring(key.length() + 1);
        }
      }
    }
    throw bad("no " + key + "=... in the comment");
  }
}
