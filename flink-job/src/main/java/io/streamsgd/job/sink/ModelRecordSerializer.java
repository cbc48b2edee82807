package io.streamsgd.job.sink;

import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes a record of the models topic (a whole version, a chunk, or a tombstone), or of its
 * published-specs topic (a model's spec), to the partition of its model id: the partition Kafka's
 * default partitioner picks for a record keyed by the model id, so that a model's chunks, whatever
 * their keys, stay in order with its other versions and beside its prediction requests (the serving
 * app joins the two per partition). Values are re-framed for the Confluent wire format when the job
 * publishes in it ({@link OutputFraming}).
 */
public final class ModelRecordSerializer implements KafkaRecordSerializationSchema<ModelRecord> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final OutputFraming framing;
  private final String specsTopic;
  private final OutputFraming specsFraming;

  /**
   * @param topic the models topic
   * @param specsTopic its published-specs topic, or null when the job does not write it
   */
  public ModelRecordSerializer(
      String topic, OutputFraming framing, String specsTopic, OutputFraming specsFraming) {
    this.topic = topic;
    this.framing = framing;
    this.specsTopic = specsTopic;
    this.specsFraming = specsFraming;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    framing.open(Codecs.MODEL_UPDATE.schema());
    if (specsTopic != null) {
      specsFraming.open(Codecs.PUBLISHED_SPEC.schema());
    }
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ModelRecord record, KafkaSinkContext context, Long timestamp) {
    String to = record.spec() ? specsTopic : topic;
    int[] partitions = context.getPartitionsForTopic(to);
    byte[] modelId = record.modelId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(
        to,
        partitions[partition(modelId, partitions.length)],
        record.timestamp(),
        record.key().getBytes(StandardCharsets.UTF_8),
        (record.spec() ? specsFraming : framing).frame(record.value()));
  }

  /** Kafka's default partitioner for a key (murmur2), which placed whole versions before chunks. */
  static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
