package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * How the serving app reads and writes its topics: the registry that Confluent-framed models and
 * requests are looked up in (null: none, and such records are skipped as undecodable), and the id
 * predictions are written with in the Confluent framing (null: single-object encoding).
 */
record ServingFraming(CachedRegistry registry, Integer predictionSchemaId) {
  /** No registry, predictions in single-object encoding. */
  static final ServingFraming NONE = new ServingFraming(null, null);

  /**
   * The framing {@code s} asks for. For Confluent-framed predictions this registers the {@code
   * Prediction} schema under {@code <predictionsTopic>-value} (Confluent's TopicNameStrategy),
   * once, here at start-up, waiting while the registry is unavailable: no prediction waits for it
   * later.
   *
   * @throws IllegalArgumentException when Confluent-framed predictions are asked for without a
   *     registry
   */
  static ServingFraming of(ServingSettings s) {
    CachedRegistry registry = RegistryProperties.registry(s.kafkaProperties());
    if (s.predictionFraming() != PredictionFraming.CONFLUENT) {
      return new ServingFraming(registry, null);
    }
    if (registry == null) {
      throw new IllegalArgumentException(
          "predictions in the CONFLUENT framing need a schema registry: set "
              + RegistryConfig.URL
              + " among the Kafka properties");
    }
    if (!s.answersRequestTopic()) {
      return new ServingFraming(registry, null); // HTTP only: no prediction is written
    }
    return new ServingFraming(
        registry, registry.registerValueSchema(s.predictionsTopic(), Codecs.PREDICTION.schema()));
  }

  Serde<ModelUpdate> modelUpdates() {
    return FramedSerde.modelUpdate(registry);
  }

  Serde<PublishedSpec> publishedSpecs() {
    return FramedSerde.publishedSpec(registry);
  }

  Serde<PredictionRequest> predictionRequests() {
    return FramedSerde.predictionRequest(registry);
  }

  Serde<Prediction> predictions() {
    return FramedSerde.prediction(registry, predictionSchemaId);
  }
}
