package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes for the published records, in Avro single-object encoding. */
public final class SingleObjectSerde {
  private SingleObjectSerde() {}

  public static Serde<ModelUpdate> modelUpdate() {
    return of(Codecs.MODEL_UPDATE);
  }

  public static Serde<PredictionRequest> predictionRequest() {
    return of(Codecs.PREDICTION_REQUEST);
  }

  public static Serde<Prediction> prediction() {
    return of(Codecs.PREDICTION);
  }

  static <T extends SpecificRecord> Serde<T> of(SingleObjectCodec<T> codec) {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : codec.encode(value),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return codec.decode(bytes);
          } catch (DecodeException e) {
            throw new SerializationException(
                "not a " + codec.schema().getName() + " on " + topic + ": " + e.getMessage());
          }
        });
  }
}
