package io.streamsgd.job.sink;

import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a dead letter keyed by its model id when known, value in Avro single-object encoding or
 * the Confluent framing.
 */
public final class DeadLetterRecordSerializer
    implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final OutputFraming framing;

  public DeadLetterRecordSerializer(String topic, OutputFraming framing) {
    this.topic = topic;
    this.framing = framing;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    framing.open(Codecs.DEAD_LETTER.schema());
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    byte[] key =
        letter.getModelId() == null ? null : letter.getModelId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(
        topic, null, null, key, framing.frame(Codecs.DEAD_LETTER.encode(letter)));
  }
}
