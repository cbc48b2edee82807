package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for {@link ModelUpdate} in Avro single-object encoding. */
public final class ModelUpdateSerde extends Serdes.WrapperSerde<ModelUpdate> {

  public ModelUpdateSerde() {
    super(newSerializer(), newDeserializer());
  }

  public static Serde<ModelUpdate> create() {
    return new ModelUpdateSerde();
  }

  private static Serializer<ModelUpdate> newSerializer() {
    return (topic, update) -> update == null ? null : Codecs.MODEL_UPDATE.encode(update);
  }

  private static Deserializer<ModelUpdate> newDeserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return Codecs.MODEL_UPDATE.decode(bytes);
      } catch (DecodeException e) {
        throw new SerializationException("not a ModelUpdate on " + topic + ": " + e.getMessage());
      }
    };
  }
}
