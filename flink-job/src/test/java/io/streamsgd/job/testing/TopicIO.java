package io.streamsgd.job.testing;

import io.streamsgd.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for integration tests: create topics, produce bytes, read a topic whole. */
public final class TopicIO {
  private final String bootstrap;

  public TopicIO(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  public void create(String topic, int partitions, boolean compacted) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      NewTopic t = new NewTopic(topic, partitions, (short) 1);
      if (compacted) {
        t.configs(Map.of("cleanup.policy", "compact"));
      }
      admin.createTopics(List.of(t)).all().get();
    }
  }

  /**
   * Creates a models topic and its published-specs topic ({@link TopicNames#publishedSpecs}), both
   * compacted, with {@code partitions} partitions each, as the trainer and its readers need them.
   */
  public void createModels(String topic, int partitions) throws Exception {
    create(topic, partitions, true);
    create(TopicNames.publishedSpecs(topic), partitions, true);
  }

  /** An idempotent producer to this broker; the caller closes it. */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap, "enable.idempotence", true, "linger.ms", 5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  public void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (ProducerRecord<byte[], byte[]> r : records) {
        producer.send(r);
      }
      producer.flush();
    }
  }

  /**
   * Reads every committed record of {@code topic} from the beginning, polling until {@code done}
   * holds for what was read or the timeout passes. Records of one partition keep their order.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(
      String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = fromTheBeginning(topic)) {
      Set<TopicPartition> partitions = consumer.assignment();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        if (done.test(all)) {
          break;
        }
      }
    }
    return all;
  }

  /**
   * Reads every committed record of {@code topic} from the beginning to its end now (the last
   * stable offset of each partition): for a topic whose writers are done, without waiting out a
   * timeout. Records of one partition keep their order.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = fromTheBeginning(topic)) {
      Set<TopicPartition> partitions = consumer.assignment();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // read_committed: the LSO
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to " + end + " in 1 min");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  /** A read_committed consumer assigned every partition of {@code topic}, at its beginning. */
  private KafkaConsumer<byte[], byte[]> fromTheBeginning(String topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    Set<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toSet());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
