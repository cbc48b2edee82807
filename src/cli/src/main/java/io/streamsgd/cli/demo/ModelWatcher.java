package io.streamsgd.cli.demo;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the models topic like any downstream consumer would (read_committed, keep the highest
 * version per model) so the demo can show progress as the outside world sees it.
 */
final class ModelWatcher implements Runnable, AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, ModelUpdate> latest = new ConcurrentHashMap<>();
  private final AtomicLong updatesRead = new AtomicLong();
  private volatile boolean running = true;
  private final Thread thread;

  ModelWatcher(String bootstrapServers, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    Set<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this, "model-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        try {
          ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
          latest.merge(u.getModelId(), u, (held, next) -> next.getVersion() > held.getVersion() ? next : held);
          updatesRead.incrementAndGet();
        } catch (DecodeException e) {
          // not a model update: not ours to show
        }
      }
    }
    consumer.close();
  }

  ModelUpdate latest(String modelId) {
    return latest.get(modelId);
  }

  long samplesSeen(String modelId) {
    ModelUpdate u = latest.get(modelId);
    return u == null ? 0 : u.getSamplesSeen();
  }

  long updatesRead() {
    return updatesRead.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
