package io.streamsgd.job.sink;

import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a dead letter keyed by its model id when known, value in Avro single-object encoding. */
public final class DeadLetterRecordSerializer
    implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;
  private final String topic;

  public DeadLetterRecordSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    byte[] key =
        letter.getModelId() == null ? null : letter.getModelId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, null, key, Codecs.DEAD_LETTER.encode(letter));
  }
}
