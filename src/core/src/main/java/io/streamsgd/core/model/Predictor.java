package io.streamsgd.core.model;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;

/**
 * The one prediction function of the project: the trainer scores samples with it (prequential
 * evaluation) and every consumer of published models scores requests with it, so the two can
 * never disagree.
 */
public final class Predictor {
  private final LossFunction loss;
  private final Task task;
  private final LinearModel model;

  public Predictor(ModelSpec spec, LinearModel model) {
    this.loss = LossFunction.of(spec.getLoss());
    this.task = spec.getTask();
    this.model = model;
  }

  public Prediction predict(FeatureVector x) {
    if (x.isDense() && x.size() != model.dimension()) {
      throw new IllegalArgumentException(
          "model expects " + model.dimension() + " features, got " + x.size());
    }
    if (!x.isDense()) {
      for (int i = 0; i < x.size(); i++) {
        int idx = x.indexAt(i);
        if (idx < 0 || idx >= model.dimension()) {
          throw new IllegalArgumentException(
              "feature index " + idx + " outside [0, " + model.dimension() + ")");
        }
      }
    }
    double z = model.score(x, 0);
    double value = loss.link(z);
    int cls = task == Task.REGRESSION ? -1 : (z >= 0.0 ? 1 : 0);
    return new Prediction(z, value, cls);
  }

  public LinearModel model() {
    return model;
  }
}
