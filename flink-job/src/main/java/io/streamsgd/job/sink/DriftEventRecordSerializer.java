package io.streamsgd.job.sink;

import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a drift event keyed by its model id, value in Avro single-object encoding or the Confluent
 * framing.
 */
public final class DriftEventRecordSerializer
    implements KafkaRecordSerializationSchema<DriftEvent> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final OutputFraming framing;

  public DriftEventRecordSerializer(String topic, OutputFraming framing) {
    this.topic = topic;
    this.framing = framing;
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    framing.open(Codecs.DRIFT_EVENT.schema());
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DriftEvent event, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        event.getEventTime().toEpochMilli(),
        event.getModelId().getBytes(StandardCharsets.UTF_8),
        framing.frame(Codecs.DRIFT_EVENT.encode(event)));
  }
}
