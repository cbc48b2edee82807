package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vowpal Wabbit's text format: {@code label [importance] ['tag] |namespace feature[:value] ...
 * |namespace ...}. Features become named features {@code namespace^feature} (just {@code feature}
 * in the default namespace), hashed by the trainer; a value defaults to 1. The tag, when {@code
 * tagIsModelId}, routes the example to the model of that id.
 */
public final class VwReader extends TextLineReader {
  private final boolean tagIsModelId;

  public VwReader(Path file, boolean tagIsModelId) throws IOException {
    super(file);
    this.tagIsModelId = tagIsModelId;
  }

  @Override
  public ParsedSample next() throws IOException, BadLineException {
    String text = nextLine();
    if (text == null) {
      return null;
    }
    int bar = text.indexOf('|');
    if (bar < 0) {
      throw bad("no '|' before the features");
    }
    String[] head = text.substring(0, bar).strip().split("\\s+");
    try {
      if (head.length == 0 || head[0].isEmpty()) {
        throw bad("no label");
      }
      double label = Double.parseDouble(head[0]);
      double weight = 1.0;
      String tag = null;
      for (int i = 1; i < head.length; i++) {
        if (head[i].startsWith("'")) {
          tag = head[i].substring(1);
        } else {
          weight = Double.parseDouble(head[i]);
        }
      }
      List<String> names = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (String section : text.substring(bar + 1).split("\\|")) {
        String[] tokens = section.split("\\s+");
        String namespace = "";
        int start = 0;
        if (!section.startsWith(" ") && !section.isEmpty()) {
          namespace =
              tokens[0].contains(":") ? tokens[0].substring(0, tokens[0].indexOf(':')) : tokens[0];
          start = 1;
        }
        for (int t = start; t < tokens.length; t++) {
          if (tokens[t].isEmpty()) {
            continue;
          }
          int colon = tokens[t].lastIndexOf(':');
          String feature = colon < 0 ? tokens[t] : tokens[t].substring(0, colon);
          names.add(namespace.isEmpty() ? feature : namespace + "^" + feature);
          values.add(colon < 0 ? 1.0 : Double.parseDouble(tokens[t].substring(colon + 1)));
        }
      }
      double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
      return new ParsedSample(
          tagIsModelId ? tag : null, ParsedSample.named(names, v), label, weight);
    } catch (NumberFormatException e) {
      throw bad(e);
    }
  }
}
