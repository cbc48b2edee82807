package io.streamsgd.serving;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the models topic from the beginning on a background thread and hands each committed version
 * that is newer than the last one handed on for its model to a callback, whole: a version published
 * in chunks only once all of them have arrived ({@link VersionAssembler}), so a callback never sees
 * a mix of two versions. No consumer group: every reader sees every partition, so each instance of
 * a service holds all models, whatever the others do.
 */
public final class ModelTopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTopicFollower.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<ModelUpdate> onUpdate;
  private final VersionAssembler assembler = VersionAssembler.inMemory();
  private final AtomicLong updatesRead = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile CountDownLatch caughtUp;

  /**
   * @param kafkaProperties client settings: bootstrap.servers and any security settings
   * @param onUpdate called on the follower's thread with each newer complete version, in topic
   *     order within a partition
   */
  public ModelTopicFollower(
      Map<String, Object> kafkaProperties, String topic, Consumer<ModelUpdate> onUpdate) {
    this.onUpdate = onUpdate;
    Map<String, Object> props = new HashMap<>(kafkaProperties);
    // The trainer publishes in Kafka transactions: an aborted model must never be seen.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Set<TopicPartition> partitions = partitions(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::follow, "model-follower-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The topic's partitions, once a just-created topic's metadata has reached the client (up to 30
   * s).
   */
  private static Set<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (!infos.isEmpty()) {
        return infos.stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toSet());
      }
      if (System.nanoTime() > deadline) {
        consumer.close();
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        consumer.close();
        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  private void follow() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          accept(r.value());
        }
        CountDownLatch waiting = caughtUp;
        if (waiting != null && atEnd()) {
          caughtUp = null;
          waiting.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private void accept(byte[] value) {
    if (value == null) {
      return; // a tombstone: a chunk key a newer version no longer uses
    }
    ModelUpdate u;
    try {
      u = Codecs.MODEL_UPDATE.decode(value);
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
      LOG.warn("Skipped a record that is not a ModelUpdate: {}", e.getMessage());
      return;
    }
    updatesRead.incrementAndGet();
    Optional<ModelUpdate> complete;
    try {
      complete = assembler.offer(u);
    } catch (IllegalArgumentException e) {
      undecodable.incrementAndGet();
      LOG.warn("Skipped a chunk that belongs to no version: {}", e.getMessage());
      return;
    }
    complete.ifPresent(onUpdate);
  }

  private boolean atEnd() {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /**
   * Waits until everything committed to the topic when this is called has been read; false on
   * timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    caughtUp = latch;
    return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records of versions read: whole versions and chunks, duplicates and stale ones included. */
  public long updatesRead() {
    return updatesRead.get();
  }

  /** Records that were no ModelUpdate, or a chunk that belongs to no version. */
  public long undecodableRecords() {
    return undecodable.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
