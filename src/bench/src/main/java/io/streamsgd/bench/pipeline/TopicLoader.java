package io.streamsgd.bench.pipeline;

import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pre-loads a workload's topic before anything is measured: producing is not part of any figure.
 */
final class TopicLoader {
  /** What was loaded. */
  record Loaded(String topic, long records, long bytes, double seconds) {}

  private final Map<String, Object> client;

  TopicLoader(Map<String, Object> client) {
    this.client = client;
  }

  Loaded load(Workload w, int partitions) throws Exception {
    try (Admin admin = Admin.create(client)) {
      if (admin.listTopics().names().get().contains(w.topic())) {
        admin.deleteTopics(List.of(w.topic())).all().get();
        Thread.sleep(1000);
      }
      admin
          .createTopics(List.of(topic(w.topic(), partitions).configs(Map.of("retention.ms", "-1"))))
          .all()
          .get();
    }
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    long start = System.nanoTime();
    long bytes = 0;
    AtomicReference<Exception> failure = new AtomicReference<>();
    Workload.Samples samples = w.new Samples();
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < w.records(); i++) {
        byte[] value = Codecs.TRAINING_SAMPLE.encode(samples.next(now));
        byte[] key = Workload.modelId(i, w.models()).getBytes(StandardCharsets.UTF_8);
        bytes += key.length + value.length;
        producer.send(
            new ProducerRecord<>(w.topic(), null, now, key, value),
            (m, e) -> {
              if (e != null) {
                failure.set(e);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return new Loaded(w.topic(), w.records(), bytes, (System.nanoTime() - start) / 1e9);
  }

  /** A new topic with the cluster's default replication factor (1 on the bench's own broker). */
  static NewTopic topic(String name, int partitions) {
    return new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty());
  }
}
