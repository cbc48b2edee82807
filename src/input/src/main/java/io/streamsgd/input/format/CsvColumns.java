package io.streamsgd.input.format;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;

/**
 * What each column of a CSV file holds. A column named by an option has that role (label, model id,
 * event time, ignored, categorical); any other column is numeric when most of its values in the
 * first {@link #ROWS_INSPECTED} data rows are numbers, categorical otherwise. Most, not all: a
 * stray "n/a" must not turn a numeric column into categories; its rows are bad lines instead, each
 * counted and reported.
 */
final class CsvColumns {
  enum Kind {
    LABEL,
    MODEL_ID,
    TIME,
    IGNORED,
    NUMERIC,
    CATEGORICAL
  }

  /** Data rows looked at to tell numeric columns from categorical ones. */
  static final int ROWS_INSPECTED = 1000;

  /**
   * A numeric feature larger than this in magnitude moves a plain-SGD score by more than ten times
   * the learning rate per unit of gradient: worth a word to the user.
   */
  static final double LARGE_VALUE = 10;

  private final List<String> names;
  private final Kind[] kinds;
  private final double[] largestMagnitude; // per numeric column, over the inspected rows

  private CsvColumns(List<String> names, Kind[] kinds, double[] largestMagnitude) {
    this.names = names;
    this.kinds = kinds;
    this.largestMagnitude = largestMagnitude;
  }

  /**
   * @throws IOException when an option names a column the header lacks, or one column twice
   */
  static CsvColumns of(List<String> header, InputFormat.Options options, List<CSVRecord> firstRows)
      throws IOException {
    Kind[] kinds = new Kind[header.size()];
    List<String> problems = new ArrayList<>();
    assign(header, kinds, Kind.LABEL, List.of(options.labelColumn()), "label", problems);
    assign(header, kinds, Kind.MODEL_ID, listOf(options.modelIdColumn()), "model-id", problems);
    assign(header, kinds, Kind.TIME, listOf(options.timeColumn()), "time", problems);
    assign(header, kinds, Kind.IGNORED, options.ignoreColumns(), "ignored", problems);
    assign(header, kinds, Kind.CATEGORICAL, options.categoricalColumns(), "categorical", problems);
    if (!problems.isEmpty()) {
      throw new IOException(String.join("; ", problems) + " (header: " + header + ")");
    }
    double[] largest = new double[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == null) {
        kinds[i] = mostlyNumbers(firstRows, i) ? Kind.NUMERIC : Kind.CATEGORICAL;
      }
      if (kinds[i] == Kind.NUMERIC) {
        largest[i] = largestMagnitude(firstRows, i);
      }
    }
    return new CsvColumns(List.copyOf(header), kinds, largest);
  }

  private static double largestMagnitude(List<CSVRecord> rows, int i) {
    double max = 0;
    for (CSVRecord r : rows) {
      if (i < r.size() && isNumber(r.get(i))) {
        double v = Math.abs(Double.parseDouble(r.get(i)));
        max = Double.isFinite(v) ? Math.max(max, v) : max;
      }
    }
    return max;
  }

  /**
   * Advice on numeric features far from unit scale: one line per column whose values in the
   * inspected rows exceed {@link #LARGE_VALUE} in magnitude. Plain SGD at a rate tuned for values
   * near 1 overshoots on them (on the 2001 flights, a distance column in miles took the log loss
   * from 0.45 to thousands).
   */
  List<String> scaleAdvice() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == Kind.NUMERIC && largestMagnitude[i] > LARGE_VALUE) {
        out.add(
            String.format(
                Locale.ROOT,
                "numeric column '%s' reaches %s in its first rows: SGD at a rate for values"
                    + " near 1 will overshoot on it; scale it to about [-1, 1] in the file, make it"
                    + " categorical (--categorical-columns %s) or lower --lr",
                names.get(i),
                largestMagnitude[i] == Math.rint(largestMagnitude[i])
                    ? String.format(Locale.ROOT, "%,.0f", largestMagnitude[i])
                    : String.format(Locale.ROOT, "%,.4g", largestMagnitude[i]),
                names.get(i)));
      }
    }
    return out;
  }

  private static List<String> listOf(String column) {
    return column == null ? List.of() : List.of(column);
  }

  private static void assign(
      List<String> header,
      Kind[] kinds,
      Kind kind,
      List<String> columns,
      String role,
      List<String> problems) {
    for (String column : columns) {
      int i = header.indexOf(column);
      if (i < 0) {
        problems.add("no " + role + " column '" + column + "'");
      } else if (kinds[i] != null) {
        problems.add("column '" + column + "' is both " + roleName(kinds[i]) + " and " + role);
      } else {
        kinds[i] = kind;
      }
    }
  }

  /** Whether most values of column {@code i} in {@code rows} are numbers (short rows skipped). */
  private static boolean mostlyNumbers(List<CSVRecord> rows, int i) {
    int numbers = 0;
    int others = 0;
    for (CSVRecord r : rows) {
      if (i < r.size()) {
        if (isNumber(r.get(i))) {
          numbers++;
        } else {
          others++;
        }
      }
    }
    return numbers >= others;
  }

  private static boolean isNumber(String value) {
    try {
      Double.parseDouble(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The columns by kind, in file order, as the console shows them: {@code numeric [a, b]; ...}. */
  String describe() {
    StringBuilder out = new StringBuilder();
    for (Kind kind : Kind.values()) {
      List<String> of = new ArrayList<>();
      for (int i = 0; i < kinds.length; i++) {
        if (kinds[i] == kind) {
          of.add(names.get(i));
        }
      }
      if (!of.isEmpty()) {
        out.append(out.length() == 0 ? "" : "; ").append(roleName(kind)).append(' ').append(of);
      }
    }
    return out.toString();
  }

  private static String roleName(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  int size() {
    return kinds.length;
  }

  String name(int i) {
    return names.get(i);
  }

  Kind kind(int i) {
    return kinds[i];
  }

  /** The column of {@code kind}, or -1 (for the single-column roles: label, model id, time). */
  int indexOf(Kind kind) {
    return Arrays.asList(kinds).indexOf(kind);
  }

  /** Whether every feature column is numeric: the features are then a dense vector. */
  boolean allNumeric() {
    return Arrays.stream(kinds).noneMatch(k -> k == Kind.CATEGORICAL);
  }

  /** Names of the feature columns (numeric and categorical), in file order. */
  List<String> features() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == Kind.NUMERIC || kinds[i] == Kind.CATEGORICAL) {
        out.add(names.get(i));
      }
    }
    return out;
  }
}
