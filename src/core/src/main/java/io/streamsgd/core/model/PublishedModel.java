package io.streamsgd.core.model;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.schema.ModelUpdate;

/**
 * A model as consumers see it: one published {@link ModelUpdate}, ready to score. Immutable;
 * consumers swap the whole instance when a higher version arrives.
 */
public final class PublishedModel {
  private final ModelUpdate update;
  private final Predictor predictor;

  private PublishedModel(ModelUpdate update) {
    this.update = update;
    this.predictor = new Predictor(update.getSpec(), ModelUpdates.model(update));
  }

  public static PublishedModel of(ModelUpdate update) {
    return new PublishedModel(update);
  }

  public String modelId() {
    return update.getModelId();
  }

  public long version() {
    return update.getVersion();
  }

  public ModelUpdate update() {
    return update;
  }

  public LinearModel parameters() {
    return predictor.model();
  }

  public ModelOutput predict(FeatureVector x) {
    return predictor.predict(x);
  }
}
