package io.streamsgd.bench.pipeline;

import io.streamsgd.bench.ceiling.DecodeCeilingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The two ceilings: reading the topic's bytes, and the trainer's source and decoder alone. */
final class Ceilings {
  /**
   * A throughput: records/s and bytes/s over the measured span, and the busy cores over it (see
   * {@link MachineCpu}).
   */
  record Rate(long records, long bytes, double seconds, Map<String, Double> busyCores) {
    double recordsPerSecond() {
      return records / seconds;
    }

    double bytesPerSecond() {
      return bytes / seconds;
    }
  }

  private Ceilings() {}

  /**
   * A plain KafkaConsumer reading raw bytes from the beginning to the end offsets, timed from its
   * first record.
   */
  static Rate rawConsumer(Map<String, Object> client, String topic, MachineCpu cpu) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toSet());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      long records = 0;
      long bytes = 0;
      long first = -1;
      while (records < total) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (first < 0) {
            first = System.nanoTime();
          }
          records++;
          bytes += r.serializedKeySize() + r.serializedValueSize();
        }
      }
      long last = System.nanoTime();
      return new Rate(records, bytes, (last - first) / 1e9, cpu.busyCores(first, last));
    }
  }

  /**
   * The trainer's Kafka source and decoder into a discarding sink, bounded, on the bench cluster;
   * timed by the sink from the first record it saw to the last (over all subtasks).
   */
  static Rate decode(
      BenchCluster cluster, String topic, Path marksDir, long expected, MachineCpu cpu)
      throws Exception {
    Files.createDirectories(marksDir);
    try (var old = Files.list(marksDir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    List<String> args = new java.util.ArrayList<>(cluster.kafkaArgs());
    args.addAll(
        List.of(
            "--streamsgd.topic.samples",
            topic,
            "--streamsgd.source.bounded",
            "true",
            "--streamsgd.source.group-id",
            "bench-decode",
            "--" + DecodeCeilingJob.MARKS_DIR,
            marksDir.toString()));
    String jobId =
        cluster.rest.runJar(
            cluster.jarId, DecodeCeilingJob.class.getName(), args, null, false, cluster.slots);
    String state =
        cluster.rest.awaitState(
            jobId, Set.of("FINISHED", "FAILED", "CANCELED"), Duration.ofMinutes(10));
    cluster.stop(jobId);
    if (!"FINISHED".equals(state)) {
      throw new IllegalStateException("decode ceiling job ended " + state);
    }
    long first = Long.MAX_VALUE;
    long last = 0;
    long count = 0;
    try (var files = Files.list(marksDir)) {
      for (Path p : files.toList()) {
        String[] f = Files.readString(p).trim().split(" ");
        if (Long.parseLong(f[2]) > 0) {
          first = Math.min(first, Long.parseLong(f[0]));
          last = Math.max(last, Long.parseLong(f[1]));
          count += Long.parseLong(f[2]);
        }
      }
    }
    if (count != expected) {
      throw new IllegalStateException(
          "decode ceiling job decoded " + count + " samples, expected " + expected);
    }
    return new Rate(count, 0, (last - first) / 1e3, cpu.busyCoresEpochMillis(first, last));
  }
}
