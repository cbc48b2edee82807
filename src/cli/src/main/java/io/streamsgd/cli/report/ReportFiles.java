package io.streamsgd.cli.report;

import java.nio.file.Path;

/** Files a command writes next to its {@code --report FILE}. */
public final class ReportFiles {
  private ReportFiles() {}

  /** The loss chart: {@code out.json} gives {@code out-loss.png}. */
  public static Path lossChart(Path report) {
    String name = report.getFileName().toString();
    String base =
        name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    return report.resolveSibling(base + "-loss.png");
  }
}
