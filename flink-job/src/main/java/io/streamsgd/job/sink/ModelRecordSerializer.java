package io.streamsgd.job.sink;

import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes a record of the models topic (a whole version, a chunk, or a tombstone) to the partition
 * of its model id: the partition Kafka's default partitioner picks for a record keyed by the model
 * id, so that a model's chunks, whatever their keys, stay in order with its other versions and
 * beside its prediction requests (the serving app joins the two per partition). Values are
 * re-framed for the Confluent wire format when the job publishes in it ({@link OutputFraming}).
 */
public final class ModelRecordSerializer implements KafkaRecordSerializationSchema<ModelRecord> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final OutputFraming framing;

  public ModelRecordSerializer(String topic, OutputFraming framing) {
    this.topic = topic;
    this.framing = framing;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    framing.open(Codecs.MODEL_UPDATE.schema());
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ModelRecord record, KafkaSinkContext context, Long timestamp) {
    int[] partitions = context.getPartitionsForTopic(topic);
    byte[] modelId = record.modelId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(
        topic,
        partitions[partition(modelId, partitions.length)],
        record.timestamp(),
        record.key().getBytes(StandardCharsets.UTF_8),
        framing.frame(record.value()));
  }

  /** Kafka's default partitioner for a key (murmur2), which placed whole versions before chunks. */
  static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
