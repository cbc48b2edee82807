package io.streamsgd.core.model;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.schema.ModelSpec;

/**
 * The one prediction function of the project: the trainer scores samples with it (prequential
 * evaluation) and every consumer of published models scores requests with it, so the two can never
 * disagree. Named features are hashed with the model's {@code hashBits}.
 */
public final class Predictor {
  private final LossFunction loss;
  private final LinearModel model;
  private final int hashBits;

  public Predictor(ModelSpec spec, LinearModel model) {
    this.loss = LossFunction.of(spec);
    this.model = model;
    this.hashBits = spec.getHashBits();
  }

  /**
   * @throws IllegalArgumentException when {@code x} does not fit the model (dimension, index range,
   *     named features for a model without hashing)
   */
  public ModelOutput predict(FeatureVector x) {
    FeatureVector f = x.isHashed() ? x.fold(requireHashing()) : x;
    int d = model.dimension();
    if (f.isDense() && f.size() != d) {
      throw new IllegalArgumentException("model expects " + d + " features, got " + f.size());
    }
    if (!f.isDense()) {
      for (int i = 0; i < f.size(); i++) {
        if (f.indexAt(i) < 0 || f.indexAt(i) >= d) {
          throw new IllegalArgumentException(
              "feature index " + f.indexAt(i) + " outside [0, " + d + ")");
        }
      }
    }
    double[] z = new double[model.outputs()];
    model.scores(f, z);
    return loss.predict(z, 0, z.length);
  }

  private int requireHashing() {
    if (hashBits <= 0) {
      throw new IllegalArgumentException("named features need a model with hashBits > 0");
    }
    return hashBits;
  }

  public LinearModel model() {
    return model;
  }
}
