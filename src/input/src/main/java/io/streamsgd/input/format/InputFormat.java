package io.streamsgd.input.format;

import java.io.IOException;
import java.nio.file.Path;
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
   * @param modelIdColumn CSV: the column that names each row's model, or null for one model
   * @param zeroBased LIBSVM: feature indices start at 0 (else at 1)
   * @param tagIsModelId VW: the example's tag names its model
   * @param labels IDX: the idx1-ubyte labels file
   */
  public record Options(
      String labelColumn,
      String modelIdColumn,
      boolean zeroBased,
      boolean tagIsModelId,
      Path labels) {}

  public SampleFileReader open(Path input, Options options) throws IOException {
    switch (this) {
      case CSV:
        return new CsvReader(input, options.labelColumn(), options.modelIdColumn());
      case LIBSVM:
        return new LibsvmReader(input, options.zeroBased());
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
