package io.streamsgd.input.format;

import io.streamsgd.input.format.CsvColumns.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Comma-separated values with a header row: a label column, optionally a model-id column and an
 * event-time column, columns to ignore, and feature columns, numeric or categorical ({@link
 * CsvColumns}). With numeric features only, each row is a dense vector in file order. With any
 * categorical column, each row is named features for the trainer to hash: {@code column=value}
 * (value 1) per categorical column, {@code column} with its value per numeric one.
 */
public final class CsvReader implements SampleFileReader {
  private final InputFile file;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;

  /** The rows read to decide the columns' kinds, returned before the rest. */
  private final Deque<CSVRecord> inspected;

  private final CsvColumns columns;
  private final List<String> featureNames;
  private final int label;
  private final int modelId;
  private final int time;
  private long line = 1;

  /** Reads the header and the first rows to decide what each column holds. */
  public CsvReader(Path path, InputFormat.Options options) throws IOException {
    this.file = InputFile.open(path);
    this.parser =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setTrim(true)
            .get()
            .parse(file.text());
    this.records = parser.iterator();
    this.inspected = new ArrayDeque<>();
    while (inspected.size() < CsvColumns.ROWS_INSPECTED && records.hasNext()) {
      inspected.add(records.next());
    }
    try {
      this.columns = CsvColumns.of(parser.getHeaderNames(), options, List.copyOf(inspected));
    } catch (IOException e) {
      parser.close();
      throw e;
    }
    this.featureNames = columns.features();
    this.label = columns.indexOf(Kind.LABEL);
    this.modelId = columns.indexOf(Kind.MODEL_ID);
    this.time = columns.indexOf(Kind.TIME);
  }

  /** Names of the feature columns, in file order (the order of the dense vector). */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Each column's kind: {@code label [y]; time [when]; numeric [x]; categorical [city]}. */
  @Override
  public String columns() {
    return columns.describe();
  }

  @Override
  public List<String> advice() {
    return columns.scaleAdvice();
  }

  @Override
  public ParsedSample next() throws BadLineException {
    CSVRecord r;
    if (!inspected.isEmpty()) {
      r = inspected.poll();
    } else if (records.hasNext()) {
      r = records.next();
    } else {
      return null;
    }
    line = r.getRecordNumber() + 1;
    if (r.size() != columns.size()) {
      throw bad(r.size() + " columns, header has " + columns.size());
    }
    double y = number(r, label);
    Long eventTime = null;
    if (time >= 0) {
      try {
        eventTime = EventTimeParser.parseMillis(r.get(time));
      } catch (IllegalArgumentException e) {
        throw bad("column '" + columns.name(time) + "': " + e.getMessage());
      }
    }
    Object features = columns.allNumeric() ? dense(r) : named(r);
    return new ParsedSample(modelId < 0 ? null : r.get(modelId), features, y, 1.0, eventTime);
  }

  private Object dense(CSVRecord r) throws BadLineException {
    double[] x = new double[featureNames.size()];
    int f = 0;
    for (int i = 0; i < r.size(); i++) {
      if (columns.kind(i) == Kind.NUMERIC) {
        x[f++] = number(r, i);
      }
    }
    return ParsedSample.dense(x);
  }

  private Object named(CSVRecord r) throws BadLineException {
    List<String> names = new ArrayList<>(r.size());
    double[] values = new double[r.size()];
    for (int i = 0; i < r.size(); i++) {
      if (columns.kind(i) == Kind.CATEGORICAL) {
        values[names.size()] = 1.0;
        names.add(columns.name(i) + "=" + r.get(i));
      } else if (columns.kind(i) == Kind.NUMERIC) {
        double v = number(r, i);
        // a zero moves no weight: left out, as Vowpal Wabbit's parser does
        if (v != 0.0) {
          values[names.size()] = v;
          names.add(columns.name(i));
        }
      }
    }
    return ParsedSample.named(names, Arrays.copyOf(values, names.size()));
  }

  private double number(CSVRecord r, int column) throws BadLineException {
    String value = r.get(column);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw bad(
          "column '"
              + columns.name(column)
              + "': '"
              + value
              + "' is not a number"
              + (column == label ? "" : " (a categorical column? --categorical-columns)"));
    }
  }

  private BadLineException bad(String reason) {
    return new BadLineException("line " + line + ": " + reason);
  }

  @Override
  public long position() {
    return line;
  }

  @Override
  public long bytesRead() {
    return file.bytesRead();
  }

  @Override
  public long bytesTotal() {
    return file.size();
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
