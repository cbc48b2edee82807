package io.streamsgd.bench.kernel;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * streamsgd's learning kernel as the trainer runs it: the core's minibatch step over dense batches,
 * one model, one thread. The samples are built before timing starts, as the trainer receives them
 * decoded.
 */
public final class StreamSgdKernel {
  private final ModelSpec spec;
  private final List<List<Sample>> batches = new ArrayList<>();

  public StreamSgdKernel(
      LogisticData data, OptimizerKind optimizer, double learningRate, int batchSize) {
    this.spec =
        ModelSpecs.withFixedBatches(
            ModelSpecs.withOptimizer(
                ModelSpecs.logisticRegression("bench", data.d, learningRate, batchSize),
                optimizer,
                learningRate),
            batchSize);
    List<Sample> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < data.n; i++) {
      double[] x = new double[data.d];
      System.arraycopy(data.x, i * data.d, x, 0, data.d);
      batch.add(
          new Sample("bench", FeatureVector.dense(x), data.y[i], 1.0, i, Sample.Origin.UNKNOWN));
      if (batch.size() == batchSize) {
        batches.add(batch);
        batch = new ArrayList<>(batchSize);
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
  }

  /**
   * One pass over the data from a fresh model; returns the progressive (prequential) mean log loss.
   */
  public double pass() {
    LearnerState state = LearnerState.initial(spec);
    for (List<Sample> b : batches) {
      MinibatchUpdate.apply(state, b);
    }
    return state.metrics().meanLoss();
  }

  public ModelSpec spec() {
    return spec;
  }
}
