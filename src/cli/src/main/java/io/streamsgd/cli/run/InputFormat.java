package io.streamsgd.cli.run;

import io.streamsgd.cli.input.CsvReader;
import io.streamsgd.cli.input.IdxReader;
import io.streamsgd.cli.input.LibsvmReader;
import io.streamsgd.cli.input.SampleFileReader;
import io.streamsgd.cli.input.VwReader;
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
  static InputFormat guess(Path file) {
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

  SampleFileReader open(RunCommand options) throws IOException {
    switch (this) {
      case CSV:
        return new CsvReader(options.input, options.labelColumn, options.modelIdColumn);
      case LIBSVM:
        return new LibsvmReader(options.input, options.zeroBased);
      case VW:
        return new VwReader(options.input, options.tagIsModelId);
      default:
        if (options.labels == null) {
          throw new IllegalArgumentException(
              "IDX input needs --labels FILE (the idx1-ubyte labels)");
        }
        return new IdxReader(options.input, options.labels);
    }
  }
}
