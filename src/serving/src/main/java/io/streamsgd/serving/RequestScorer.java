package io.streamsgd.serving;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PredictionRequest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores requests with the latest model, through the core's own {@code predict}. Decoded models are
 * kept per id and replaced when a higher version comes, so each version is decoded once.
 */
public final class RequestScorer {
  private final Map<String, PublishedModel> decoded = new ConcurrentHashMap<>();
  private final ServingMetrics metrics;

  /** A scorer whose counts go nowhere (topology tests). */
  public RequestScorer() {
    this(new ServingMetrics());
  }

  /** A scorer that counts the topic's predictions, errors and staleness in {@code metrics}. */
  public RequestScorer(ServingMetrics metrics) {
    this.metrics = metrics;
  }

  /** The decoded model for this update (cached per id and version). */
  public PublishedModel model(ModelUpdate update) {
    return decoded.compute(
        update.getModelId(),
        (id, held) ->
            held != null && held.version() == update.getVersion()
                ? held
                : PublishedModel.of(update));
  }

  /** The prediction record for a request, or an error record when it cannot be scored. */
  public io.streamsgd.schema.Prediction score(PredictionRequest request, ModelUpdate update) {
    io.streamsgd.schema.Prediction.Builder out =
        io.streamsgd.schema.Prediction.newBuilder()
            .setRequestId(request.getRequestId())
            .setModelId(request.getModelId())
            .setServedAt(Instant.now());
    if (update == null) {
      metrics.predictionFailed(
          ServingMetrics.Source.TOPIC, ServingMetrics.PredictionError.UNKNOWN_MODEL);
      return out.setError("unknown model '" + request.getModelId() + "'").build();
    }
    try {
      FeatureVector x = SampleConversion.features(request.getFeatures());
      ModelOutput p = model(update).predict(x);
      metrics.predicted(ServingMetrics.Source.TOPIC, update.getPublishedAt());
      return out.setModelVersion(update.getVersion())
          .setScore(p.score())
          .setValue(p.value())
          .setPredictedClass(p.predictedClass())
          .setProbabilities(
              p.probabilities() == null ? null : new DoubleArrayView(p.probabilities()))
          .build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      metrics.predictionFailed(
          ServingMetrics.Source.TOPIC, ServingMetrics.PredictionError.INVALID_FEATURES);
      return out.setModelVersion(update.getVersion()).setError(e.getMessage()).build();
    }
  }
}
