package io.streamsgd.bench.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of an input was done when: (time, count) points, in order. The steady rate is taken
 * between the moments 10 % and 90 % of the input were done, so start-up (job scheduling, the first
 * checkpoint) and the tail (the last checkpoint) do not count.
 */
final class Progress {
  private final List<long[]> points = new ArrayList<>();

  synchronized void add(long nanos, long count) {
    points.add(new long[] {nanos, count});
  }

  synchronized long last() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1)[1];
  }

  /**
   * Items per second between the fractions {@code from} and {@code to} of {@code total},
   * interpolated.
   */
  synchronized double rate(long total, double from, double to) {
    double[] w = window(total, from, to);
    return w == null ? Double.NaN : total * (to - from) / ((w[1] - w[0]) / 1e9);
  }

  /** When (nanos) the fractions {@code from} and {@code to} were reached, or null. */
  synchronized double[] window(long total, double from, double to) {
    double t0 = timeAt(total * from);
    double t1 = timeAt(total * to);
    if (Double.isNaN(t0) || Double.isNaN(t1) || t1 <= t0) {
      return null;
    }
    return new double[] {t0, t1};
  }

  /** The time (nanos) the count first reached {@code target}, linearly between two points. */
  private double timeAt(double target) {
    long[] prev = null;
    for (long[] p : points) {
      if (p[1] >= target) {
        if (prev == null || p[1] == prev[1]) {
          return p[0];
        }
        return prev[0] + (p[0] - prev[0]) * (target - prev[1]) / (double) (p[1] - prev[1]);
      }
      prev = p;
    }
    return Double.NaN;
  }
}
