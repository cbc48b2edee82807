package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file formats {@code streamsgd run} reads. */
public enum InputFormat {
  CSV,
  LIBSVM,
  VW,
  IDX;

  /** From the file name: .csv, .libsvm/.svm/.svmlight, .vw, -idx3-ubyte (each optionally .gz). */
  public static InputFormat guess(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".svmlight")) {
      return LIBSVM;
    }
    if (name.endsWith(".vw")) {
      return VW;
    }
    if (name.contains("idx3-ubyte")) {
      return IDX;
    }
    throw new IllegalArgumentException(
        "cannot tell the format of " + file + ": give --format csv|libsvm|vw|idx");
  }

  /**
   * How to read a file's columns and fields.
   *
   * @param labelColumn CSV: the label's column name
   * @param modelIdColumn CSV: the column that names each row's model; LIBSVM: the key of {@code
   *     key=id} in each line's comment; null for one model
   * @param timeColumn CSV: the column of each row's event time; LIBSVM: the key of {@code key=time}
   *     in each line's comment; null when the file holds none
   * @param ignoreColumns CSV: columns that are neither label nor features
   * @param categoricalColumns CSV: columns read as categories even where their values are numbers
   * @param zeroBased LIBSVM: feature indices start at 0 (else at 1)
   * @param tagIsModelId VW: the example's tag names its model
   * @param labels IDX: the idx1-ubyte labels file
   */
  public record Options(
      String labelColumn,
      String modelIdColumn,
      String timeColumn,
      List<String> ignoreColumns,
      List<String> categoricalColumns,
      boolean zeroBased,
      boolean tagIsModelId,
      Path labels) {
    public Options {
      ignoreColumns = List.copyOf(ignoreColumns);
      categoricalColumns = List.copyOf(categoricalColumns);
    }
  }

  /**
   * Opens {@code input} as this format.
   *
   * @throws IllegalArgumentException when an option asks for what the format cannot hold
   */
  public SampleFileReader open(Path input, Options options) throws IOException {
    if (this != CSV
        && (!options.ignoreColumns().isEmpty() || !options.categoricalColumns().isEmpty())) {
      throw new IllegalArgumentException(
          "--ignore-columns and --categorical-columns are for CSV input, not " + this);
    }
    if ((this == VW || this == IDX)
        && (options.modelIdColumn() != null || options.timeColumn() != null)) {
      throw new IllegalArgumentException(
          "--model-id-column and --time-column are for CSV and LIBSVM input; "
              + (this == VW
                  ? "Vowpal Wabbit text holds no event time, and its tag names the model with"
                      + " --tag-is-model-id"
                  : "IDX files hold neither"));
    }
    switch (this) {
      case CSV:
        return new CsvReader(input, options);
      case LIBSVM:
        return new LibsvmReader(
            input, options.zeroBased(), options.modelIdColumn(), options.timeColumn());
      case VW:
        return new VwReader(input, options.tagIsModelId());
      default:
        if (options.labels() == null) {
          throw new IllegalArgumentException(
              "IDX input needs --labels FILE (the idx1-ubyte labels)");
        }
        return new IdxReader(input, options.labels());
    }
  }
}
