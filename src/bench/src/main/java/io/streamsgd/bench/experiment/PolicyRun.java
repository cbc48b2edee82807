package io.streamsgd.bench.experiment;

import io.streamsgd.core.batch.BatchCutter;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One model trained over a stream with the trainer's own rules ({@link BatchReplay}: the {@link
 * BatchCutter} for batch boundaries, the core's minibatch step), recording after every update:
 * samples seen, updates, the faded prequential loss and the batch size.
 */
final class PolicyRun {
  final String name;
  final List<double[]> points = new ArrayList<>(); // samples, updates, faded loss, batch size

  private PolicyRun(String name) {
    this.name = name;
  }

  static PolicyRun of(String name, ModelSpec spec, List<Sample> stream) {
    PolicyRun run = new PolicyRun(name);
    BatchReplay.run(
        spec,
        stream,
        true,
        (state, size, reason, result) ->
            run.points.add(
                new double[] {
                  state.samplesSeen(), state.version(), state.metrics().fadedLoss(), size
                }));
    return run;
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
