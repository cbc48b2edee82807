package io.streamsgd.cli.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of long commands: redrawn in place on a terminal, one plain line every two
 * seconds when the output is a log or a pipe.
 */
public final class TrainingProgress {
  /** Width of a progress line when the output is not a terminal. */
  private static final int LINE_WIDTH = 180;

  private TrainingProgress() {}

  public static ProgressBar start(String task, long total, String unit, PrintStream out) {
    boolean interactive = System.console() != null;
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(unit, 1)
            .showSpeed()
            .setUpdateIntervalMillis(interactive ? 200 : 2000);
    if (!interactive) {
      builder
          .setStyle(ProgressBarStyle.ASCII)
          .setMaxRenderedLength(LINE_WIDTH)
          .setConsumer(
              new DelegatingProgressBarConsumer(
                  line -> out.println("  " + line.trim()), LINE_WIDTH));
    }
    return builder.build();
  }
}
