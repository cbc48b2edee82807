package io.streamsgd.bench.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's prequential loss over its stream, batch by batch as the trainer reports it (each
 * batch's samples scored before the model learnt from them), and the means the experiments chart
 * and tabulate. A batch's loss is known only as a sum, so a window or range must not cut through a
 * batch: with batch size b, window widths and range bounds must be multiples of b (they are, in the
 * experiments; a cut is refused rather than guessed).
 */
final class LossTrace {
  // per batch: first sample (0-based position in the stream), size, weight sum, loss sum
  private final List<long[]> spans = new ArrayList<>();
  private final List<double[]> sums = new ArrayList<>();
  private long samples;

  /** Appends the next batch: {@code size} samples whose weights and weighted losses sum so. */
  void add(int size, double weightSum, double lossSum) {
    if (size <= 0) {
      throw new IllegalArgumentException("a batch holds at least one sample, got " + size);
    }
    spans.add(new long[] {samples, size});
    sums.add(new double[] {weightSum, lossSum});
    samples += size;
  }

  long samples() {
    return samples;
  }

  /**
   * Weighted mean loss of the samples at positions [from, to) (0-based), NaN when they weigh
   * nothing.
   */
  double mean(long from, long to) {
    if (from < 0 || to > samples || from >= to) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") is not inside the " + samples + " samples");
    }
    double weight = 0;
    double loss = 0;
    for (int b = 0; b < spans.size(); b++) {
      long first = spans.get(b)[0];
      long end = first + spans.get(b)[1];
      if (end <= from || first >= to) {
        continue;
      }
      if (first < from || end > to) {
        throw new IllegalArgumentException(
            "the range [" + from + ", " + to + ") cuts the batch [" + first + ", " + end + ")");
      }
      weight += sums.get(b)[0];
      loss += sums.get(b)[1];
    }
    return weight > 0 ? loss / weight : Double.NaN;
  }

  /**
   * The mean loss of each {@code width} consecutive samples, as (last sample's 1-based position,
   * mean) points; a last, shorter window is left out.
   */
  List<double[]> windows(int width) {
    List<double[]> out = new ArrayList<>();
    for (long from = 0; from + width <= samples; from += width) {
      out.add(new double[] {from + width, mean(from, from + width)});
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LossTrace t) || t.spans.size() != spans.size()) {
      return false;
    }
    for (int b = 0; b < spans.size(); b++) {
      if (!java.util.Arrays.equals(spans.get(b), t.spans.get(b))
          || !java.util.Arrays.equals(sums.get(b), t.sums.get(b))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(samples);
  }
}
