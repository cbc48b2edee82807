package io.streamsgd.job.sink;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a model update keyed by its model id (so compaction keeps the latest per model and one
 * model's versions stay in order on one partition), value in Avro single-object encoding.
 */
public final class ModelUpdateRecordSerializer
    implements KafkaRecordSerializationSchema<ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private final String topic;

  public ModelUpdateRecordSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ModelUpdate update, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        update.getPublishedAt().toEpochMilli(),
        update.getModelId().getBytes(StandardCharsets.UTF_8),
        Codecs.MODEL_UPDATE.encode(update));
  }
}
