package io.streamsgd.cli.bench.pipeline;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer of the models topic, as a downstream service sees it: per model the
 * latest samplesSeen, their total over time, and each update as it becomes visible.
 */
final class ModelsProbe implements AutoCloseable {
  final Progress progress = new Progress();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Long> seen = new HashMap<>();
  private final Thread thread;
  private final BiConsumer<ModelUpdate, Long> onUpdate;
  private volatile long total;
  private volatile long updates;
  private volatile boolean running = true;

  /** @param onUpdate called with each update and the nanoTime it was read */
  ModelsProbe(Map<String, Object> client, String topic, BiConsumer<ModelUpdate, Long> onUpdate) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Set<TopicPartition> parts = partitions(consumer, topic);
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.onUpdate = onUpdate;
    thread = new Thread(this::run, "models-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** The topic's partitions, once a just-created topic's metadata has reached the client. */
  private static Set<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (!infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private void run() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(20));
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
          Long before = seen.put(u.getModelId(), u.getSamplesSeen());
          long delta = u.getSamplesSeen() - (before == null ? 0 : before);
          if (delta > 0) {
            total += delta;
          } else if (before != null) {
            seen.put(u.getModelId(), before); // a duplicate or older version
          }
          updates++;
          onUpdate.accept(u, now);
        }
        if (!records.isEmpty()) {
          progress.add(now, total);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (io.streamsgd.schema.codec.DecodeException e) {
      throw new IllegalStateException("the models topic holds a record that is not a ModelUpdate", e);
    } finally {
      consumer.close();
    }
  }

  long total() {
    return total;
  }

  long updates() {
    return updates;
  }

  /** Waits until the total samples seen reaches {@code expected}; false on timeout. */
  boolean await(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (total < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return total >= expected;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
