package io.streamsgd.bench.experiment;

import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One model trained over a stream with the trainer's own rules ({@link BatchReplay}: the {@link
 * io.streamsgd.core.batch.BatchCutter} for batch boundaries, the core's minibatch step), recording
 * after every update: samples seen, updates, the faded prequential loss and the batch size.
 */
final class PolicyRun {
  final String name;
  final List<double[]> points = new ArrayList<>(); // samples, updates, faded loss, batch size

  private PolicyRun(String name) {
    this.name = name;
  }

  static PolicyRun of(String name, ModelSpec spec, List<Sample> stream) {
    return run(name, spec, stream, null);
  }

  /**
   * As {@link #of}, but the adaptive test and the next batch's target read the batch's exact
   * statistics ({@link MinibatchUpdate#exactStatistics}, against the batch's own mean gradient) as
   * a trainer that held every batch's samples did, where the trainer's running sums estimate the
   * inner-product test's variances. The step itself is the trainer's.
   */
  static PolicyRun withExactStatistics(String name, ModelSpec spec, List<Sample> stream) {
    return run(name, spec, stream, MinibatchUpdate::exactStatistics);
  }

  private static PolicyRun run(
      String name, ModelSpec spec, List<Sample> stream, BatchReplay.Statistics statistics) {
    PolicyRun run = new PolicyRun(name);
    BatchReplay.run(
        spec,
        stream,
        true,
        statistics,
        (state, size, reason, result) ->
            run.points.add(
                new double[] {
                  state.samplesSeen(), state.version(), state.metrics().fadedLoss(), size
                }));
    return run;
  }

  /** The mean, median and 90th percentile of the batch sizes. */
  double[] batchSizes() {
    double[] sizes = points.stream().mapToDouble(p -> p[3]).sorted().toArray();
    double mean = java.util.Arrays.stream(sizes).average().orElse(Double.NaN);
    return new double[] {
      mean, sizes[sizes.length / 2], sizes[(int) Math.min(sizes.length - 1, 0.9 * sizes.length)]
    };
  }

  double[] last() {
    return points.get(points.size() - 1);
  }

  /** The faded loss after the update that first reached {@code samples} samples. */
  double lossAtSamples(long samples) {
    for (double[] p : points) {
      if (p[0] >= samples) {
        return p[2];
      }
    }
    return last()[2];
  }

  /**
   * Updates until the faded loss first came within {@code level}, after {@code fromSamples}; -1 if
   * never.
   */
  long updatesToReach(double level, long fromSamples) {
    for (double[] p : points) {
      if (p[0] >= fromSamples && p[2] <= level) {
        return (long) p[1];
      }
    }
    return -1;
  }
}
