package io.streamsgd.core.publish;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.time.Instant;
import java.util.Random;

/** Whole versions with chosen weights, for the chunking tests. */
final class TestVersions {
  private TestVersions() {}

  /** A whole dense version of a model with {@code outputs} outputs (1, or softmax classes). */
  static ModelUpdate dense(String modelId, long version, int outputs, double[] weights) {
    int dimension = weights.length / outputs;
    ModelSpec spec =
        outputs == 1
            ? ModelSpecs.logisticRegression(modelId, dimension, 0.1, 8)
            : ModelSpecs.softmaxRegression(modelId, dimension, outputs, 0.1, 8);
    ModelUpdate u =
        ModelUpdates.snapshot(
            LearnerState.initial(spec),
            new BatchResult(8, 8.0, 4.0, 1_000L, 2_000L, true),
            BatchCloseReason.SIZE,
            7L,
            1_700_000_000_000L + version);
    u.setVersion(version);
    double[] intercepts = new double[outputs];
    for (int j = 0; j < outputs; j++) {
      intercepts[j] = 0.25 * (j + 1) + version;
    }
    u.setParameters(
        new LinearParameters(
            outputs,
            dimension,
            new DoubleArrayView(weights.clone()),
            new DoubleArrayView(intercepts),
            null));
    return u;
  }

  /**
   * Weights where a share {@code density} is non-zero, each value tied to the version so that a mix
   * of two versions shows.
   */
  static double[] weights(Random random, int outputs, int dimension, double density, long version) {
    double[] w = new double[outputs * dimension];
    for (int i = 0; i < w.length; i++) {
      if (random.nextDouble() < density) {
        w[i] = version + random.nextDouble();
      }
    }
    return w;
  }

  /** The dense weights of whole sparse or dense parameters. */
  static double[] denseWeights(LinearParameters p) {
    return ModelUpdates.model(p).toDense().weights();
  }

  static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }
}
