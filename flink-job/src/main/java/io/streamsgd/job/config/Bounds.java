package io.streamsgd.job.config;

import java.time.Duration;
import java.util.function.Function;

/**
 * The valid range of an option's value, written once: quoted in the option's description and
 * checked at start-up by {@link JobSettings#from}.
 */
public record Bounds<T extends Comparable<T>>(T min, T max, Function<T, String> format) {

  public static Bounds<Integer> of(int min, int max) {
    return new Bounds<>(min, max, String::valueOf);
  }

  public static Bounds<Duration> of(Duration min, Duration max) {
    return new Bounds<>(min, max, Bounds::human);
  }

  public boolean contains(T value) {
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }

  /** The range as the docs and the error messages write it, e.g. {@code [10 ms, 1 min]}. */
  public String text() {
    return "[" + format.apply(min) + ", " + format.apply(max) + "]";
  }

  public String format(T value) {
    return format.apply(value);
  }

  /** A duration in the largest unit that divides it: 0 ms, 250 ms, 10 s, 1 min, 1 h, 1 d. */
  static String human(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "min", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + " " + names[i];
      }
    }
    return ms + " ms";
  }
}
