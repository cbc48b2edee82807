package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.codec.SingleObjectCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka serdes for the published records. They read either framing, told apart per record by its
 * first byte ({@link FramedCodec}): Avro single-object encoding, or the Confluent wire format,
 * whose writer schema is looked up in the registry given (none given: such a record fails as an
 * unknown schema, and says so). They write single-object encoding, or the Confluent wire format
 * with a schema id registered beforehand.
 */
public final class FramedSerde {
  private FramedSerde() {}

  /**
   * @param registry where Confluent-framed records' schemas are looked up; null for none
   */
  public static Serde<ModelUpdate> modelUpdate(CachedRegistry registry) {
    return of(Codecs.MODEL_UPDATE, registry, null);
  }

  /** Published specs, either framing. */
  public static Serde<PublishedSpec> publishedSpec(CachedRegistry registry) {
    return of(Codecs.PUBLISHED_SPEC, registry, null);
  }

  /**
   * @param registry where Confluent-framed records' schemas are looked up; null for none
   */
  public static Serde<PredictionRequest> predictionRequest(CachedRegistry registry) {
    return of(Codecs.PREDICTION_REQUEST, registry, null);
  }

  /**
   * @param registry where Confluent-framed records' schemas are looked up; null for none
   * @param schemaId the registry id of the {@code Prediction} schema to write the Confluent framing
   *     with, or null to write single-object encoding
   */
  public static Serde<Prediction> prediction(CachedRegistry registry, Integer schemaId) {
    return of(Codecs.PREDICTION, registry, schemaId);
  }

  static <T extends SpecificRecord> Serde<T> of(
      SingleObjectCodec<T> codec, CachedRegistry registry, Integer schemaId) {
    FramedCodec<T> reader = FramedCodec.of(codec, registry);
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          // Both framings carry the same body: encode once, then swap the header if asked to.
          byte[] singleObject = codec.encode(value);
          return schemaId == null
              ? singleObject
              : ConfluentFraming.fromSingleObject(singleObject, schemaId);
        },
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return reader.decode(bytes);
          } catch (DecodeException e) {
            throw new SerializationException(
                "not a readable "
                    + codec.schema().getName()
                    + " on "
                    + topic
                    + " ("
                    + e.kind()
                    + "): "
                    + e.getMessage());
          }
        });
  }
}
