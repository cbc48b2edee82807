package io.streamsgd.job.sink;

import io.streamsgd.job.config.JobOptions;
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
  private final int maxRecordBytes;

  public ModelUpdateRecordSerializer(String topic, int maxRecordBytes) {
    this.topic = topic;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ModelUpdate update, KafkaSinkContext context, Long timestamp) {
    byte[] value = Codecs.MODEL_UPDATE.encode(update);
    if (value.length > maxRecordBytes) {
      // Specs whose updates could be this large are refused; failing here, in the task, ends the
      // job through its restart strategy with this reason, where a producer's refusal would fail
      // the sink asynchronously (and a MiniCluster's only TaskManager with it).
      throw new IllegalStateException(
          "update "
              + update.getVersion()
              + " of model "
              + update.getModelId()
              + " is "
              + value.length
              + " bytes, above "
              + JobOptions.SINK_MAX_RECORD_BYTES.key()
              + " ("
              + maxRecordBytes
              + ")");
    }
    return new ProducerRecord<>(
        topic,
        null,
        update.getPublishedAt().toEpochMilli(),
        update.getModelId().getBytes(StandardCharsets.UTF_8),
        value);
  }
}
