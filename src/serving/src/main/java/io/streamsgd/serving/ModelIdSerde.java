package io.streamsgd.serving;

import io.streamsgd.core.publish.ChunkKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Keys of the models topic read as model ids: a chunk's key (model id, NUL, index) becomes its
 * model id, so every record of a model lands on the same key without a key change (which would make
 * Kafka Streams repartition the topic: the trainer already writes all of a model's records to the
 * partition of its id).
 */
final class ModelIdSerde {
  private ModelIdSerde() {}

  static Serde<String> serde() {
    return Serdes.serdeFrom(
        (topic, id) -> id == null ? null : id.getBytes(StandardCharsets.UTF_8),
        (topic, bytes) ->
            bytes == null ? null : ChunkKeys.modelId(new String(bytes, StandardCharsets.UTF_8)));
  }
}
