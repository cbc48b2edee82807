package io.streamsgd.job.source;

import io.streamsgd.job.config.JobSettings;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's two Kafka sources, configured from {@link JobSettings}. */
public final class KafkaSources {
  private KafkaSources() {}

  public static KafkaSource<RawRecord> samples(JobSettings s) {
    OffsetsInitializer start;
    switch (s.startingOffsets) {
      case LATEST:
        start = OffsetsInitializer.latest();
        break;
      case COMMITTED:
        start = OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        break;
      default:
        start = OffsetsInitializer.earliest();
    }
    return base(s, s.samplesTopic, s.groupId, start)
        // Bigger fetches: the source reads many small records per poll.
        .setProperty("max.partition.fetch.bytes", String.valueOf(4 << 20))
        .setProperty("fetch.max.bytes", String.valueOf(16 << 20))
        .setProperty("max.poll.records", "2000")
        .build();
  }

  /** Specs: always the whole compacted topic, so every subtask learns every current spec. */
  public static KafkaSource<RawRecord> specs(JobSettings s) {
    return base(s, s.specsTopic, s.groupId + "-specs", OffsetsInitializer.earliest()).build();
  }

  private static KafkaSourceBuilder<RawRecord> base(
      JobSettings s, String topic, String groupId, OffsetsInitializer start) {
    KafkaSourceBuilder<RawRecord> b =
        KafkaSource.<RawRecord>builder()
            .setProperties(s.kafkaClientProperties())
            .setBootstrapServers(s.bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(start)
            .setDeserializer(new RawRecordDeserializer())
            // Exactly-once upstream producers may abort: never train on aborted samples.
            .setProperty("isolation.level", "read_committed")
            .setProperty("client.id.prefix", groupId + "-" + topic);
    if (s.bounded) {
      b.setBounded(OffsetsInitializer.latest());
    }
    return b;
  }
}
