package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Comma-separated values with a header row: one column is the label, an optional one the model id,
 * every other column a dense numeric feature, in file order.
 */
public final class CsvReader implements SampleFileReader {
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final int labelColumn;
  private final int modelIdColumn;
  private final List<String> featureNames = new ArrayList<>();
  private long line = 1;

  /**
   * @param labelColumn name of the label column
   * @param modelIdColumn name of the model-id column, or null
   */
  public CsvReader(Path file, String labelColumn, String modelIdColumn) throws IOException {
    this.parser =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setTrim(true)
            .get()
            .parse(TextFiles.open(file));
    List<String> header = parser.getHeaderNames();
    this.labelColumn = header.indexOf(labelColumn);
    if (this.labelColumn < 0) {
      parser.close();
      throw new IOException("no label column '" + labelColumn + "' in header " + header);
    }
    this.modelIdColumn = modelIdColumn == null ? -1 : header.indexOf(modelIdColumn);
    if (modelIdColumn != null && this.modelIdColumn < 0) {
      parser.close();
      throw new IOException("no model-id column '" + modelIdColumn + "' in header " + header);
    }
    for (int i = 0; i < header.size(); i++) {
      if (i != this.labelColumn && i != this.modelIdColumn) {
        featureNames.add(header.get(i));
      }
    }
    this.records = parser.iterator();
  }

  /** Names of the feature columns, in the order of the dense vector. */
  public List<String> featureNames() {
    return featureNames;
  }

  @Override
  public ParsedSample next() throws BadLineException {
    if (!records.hasNext()) {
      return null;
    }
    CSVRecord r = records.next();
    line = r.getRecordNumber() + 1;
    if (r.size() != featureNames.size() + (modelIdColumn < 0 ? 1 : 2)) {
      throw new BadLineException(
          "line "
              + line
              + ": "
              + r.size()
              + " columns, header has "
              + (featureNames.size() + (modelIdColumn < 0 ? 1 : 2)));
    }
    try {
      double[] x = new double[featureNames.size()];
      int f = 0;
      for (int i = 0; i < r.size(); i++) {
        if (i != labelColumn && i != modelIdColumn) {
          x[f++] = Double.parseDouble(r.get(i));
        }
      }
      return new ParsedSample(
          modelIdColumn < 0 ? null : r.get(modelIdColumn),
          ParsedSample.dense(x),
          Double.parseDouble(r.get(labelColumn)),
          1.0);
    } catch (NumberFormatException e) {
      throw new BadLineException("line " + line + ": " + e.getMessage());
    }
  }

  @Override
  public long position() {
    return line;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
