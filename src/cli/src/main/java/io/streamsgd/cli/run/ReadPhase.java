package io.streamsgd.cli.run;

import io.streamsgd.cli.progress.TrainingProgress;
import io.streamsgd.input.format.SampleFileReader;
import io.streamsgd.input.produce.FileProducer;
import io.streamsgd.schema.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;

/**
 * The first phase of a run: the input read into the samples topic, with a progress bar by bytes
 * read from disk (of the compressed file for .gz), then what was read.
 */
final class ReadPhase {
  /** Inputs from this size on count in MB, smaller ones in kB. */
  private static final long MB_FROM = 10_000_000;

  private ReadPhase() {}

  static FileProducer.Stats read(
      SampleFileReader reader,
      String bootstrapServers,
      String samplesTopic,
      String modelId,
      Task task,
      long limit,
      PrintStream out)
      throws IOException {
    if (!reader.columns().isEmpty()) {
      out.printf("  columns: %s%n", reader.columns());
    }
    for (String advice : reader.advice()) {
      out.printf("  note: %s%n", advice);
    }
    long total = reader.bytesTotal();
    boolean mb = total >= MB_FROM;
    long start = System.nanoTime();
    FileProducer.Stats stats;
    try (ProgressBar bar =
        TrainingProgress.start("read", total, mb ? " MB" : " kB", mb ? 1_000_000 : 1_000, out)) {
      stats =
          FileProducer.produce(
              reader,
              bootstrapServers,
              samplesTopic,
              modelId,
              task,
              limit,
              (bytes, samples) -> {
                bar.stepTo(bytes);
                bar.setExtraMessage(
                    String.format(
                        " | %,d samples, %s",
                        samples, TrainingProgress.rate(samples, start, System.nanoTime())));
              });
    }
    out.printf(
        "  read %,d examples for %d model(s) in %.1f s%s%n",
        stats.samples(),
        stats.samplesPerModel().size(),
        stats.seconds(),
        stats.badLines() == 0
            ? ""
            : String.format(
                ", %,d lines were not examples (first: %s)",
                stats.badLines(), stats.firstErrors().get(0)));
    if (stats.timesFromData() && stats.samples() > 0) {
      out.printf(
          "  event times from the data: %s to %s, %,d earlier than a sample before them (kept"
              + " as given)%n",
          Instant.ofEpochMilli(stats.eventTimeMin()),
          Instant.ofEpochMilli(stats.eventTimeMax()),
          stats.outOfOrder());
    }
    return stats;
  }
}
