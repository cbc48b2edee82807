package io.streamsgd.cli.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of long commands: redrawn in place on a terminal, one plain line every two
 * seconds when the output is a log or a pipe (never the same line twice). It shows no speed of its
 * own: the library's divides by whole seconds and starts with the bar; commands put the rate they
 * report at the end ({@link #rate}) in the bar's message, so the two agree.
 */
public final class TrainingProgress {
  /** Width of a progress line when the output is not a terminal. */
  private static final int LINE_WIDTH = 180;

  private TrainingProgress() {}

  public static ProgressBar start(String task, long total, String unit, PrintStream out) {
    return start(task, total, unit, 1, out);
  }

  /** A bar counting in units of {@code unitSize} (bytes shown as kB or MB). */
  public static ProgressBar start(
      String task, long total, String unit, long unitSize, PrintStream out) {
    boolean interactive = System.console() != null;
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(unit, unitSize)
            .setUpdateIntervalMillis(interactive ? 200 : 2000);
    if (!interactive) {
      builder
          .setStyle(ProgressBarStyle.ASCII)
          .setMaxRenderedLength(LINE_WIDTH)
          .setConsumer(new DelegatingProgressBarConsumer(new NewLinesOnly(out), LINE_WIDTH));
    }
    return builder.build();
  }

  /** {@code done} per second from {@code startNanos} to {@code nowNanos}, as the bar shows it. */
  public static String rate(long done, long startNanos, long nowNanos) {
    double seconds = (nowNanos - startNanos) / 1e9;
    return seconds <= 0 ? "? /s" : String.format(Locale.ROOT, "%,.0f/s", done / seconds);
  }

  /** Prints a line unless it repeats the last one (closing the bar redraws its last state). */
  private static final class NewLinesOnly implements Consumer<String> {
    private final PrintStream out;
    private String last;

    NewLinesOnly(PrintStream out) {
      this.out = out;
    }

    @Override
    public void accept(String line) {
      String trimmed = line.trim();
      if (!trimmed.equals(last)) {
        out.println("  " + trimmed);
        last = trimmed;
      }
    }
  }
}
