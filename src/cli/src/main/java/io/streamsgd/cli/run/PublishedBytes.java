package io.streamsgd.cli.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the trainer published to the models topic: committed records and their value bytes. */
final class PublishedBytes {
  private PublishedBytes() {}

  static RunReport.Publication read(String bootstrapServers, String topic, long updates) {
    long records = 0;
    long bytes = 0;
    long largest = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", bootstrapServers, "isolation.level", "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map((PartitionInfo p) -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            records++;
            bytes += r.value().length;
            largest = Math.max(largest, r.value().length);
          }
        }
      }
    }
    return new RunReport.Publication(
        updates, records, bytes, largest, updates == 0 ? 0 : (double) bytes / updates);
  }
}
