package io.streamsgd.serving;

import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * For services that embed the model: follows the models topic from the beginning on a
 * background thread (read_committed, no consumer group), keeps the highest version per model id
 * in memory, and scores with the same {@code predict} as the trainer. Stale and duplicate
 * versions are ignored, so at-least-once publication is safe.
 */
public final class ModelSubscriber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSubscriber.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, ModelUpdate> latest = new ConcurrentHashMap<>();
  private final Map<String, PublishedModel> decoded = new ConcurrentHashMap<>();
  private final AtomicLong updatesRead = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile java.util.concurrent.CountDownLatch caughtUp;

  /**
   * @param kafkaProperties client settings: bootstrap.servers and any security settings
   */
  public ModelSubscriber(Map<String, Object> kafkaProperties, String topic) {
    Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Set<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::follow, "model-subscriber-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          accept(r.value());
        }
        java.util.concurrent.CountDownLatch waiting = caughtUp;
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
      return; // a tombstone: nothing to keep
    }
    try {
      ModelUpdate u = Codecs.MODEL_UPDATE.decode(value);
      latest.merge(u.getModelId(), u, (held, next) -> next.getVersion() > held.getVersion() ? next : held);
      updatesRead.incrementAndGet();
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
      LOG.warn("Skipped a record that is not a ModelUpdate: {}", e.getMessage());
    }
  }

  private boolean atEnd() {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /**
   * Waits until everything committed to the topic when this is called has been read.
   *
   * @return false if that took longer than {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    caughtUp = latch;
    return latch.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The latest update held for {@code modelId}. */
  public Optional<ModelUpdate> latest(String modelId) {
    return Optional.ofNullable(latest.get(modelId));
  }

  /** The latest model as a ready scorer (decoded once per version). */
  public Optional<PublishedModel> model(String modelId) {
    ModelUpdate u = latest.get(modelId);
    if (u == null) {
      return Optional.empty();
    }
    return Optional.of(decoded.compute(modelId, (id, held) -> held != null && held.version() >= u.getVersion() ? held : PublishedModel.of(u)));
  }

  /** Every model held, latest version each. */
  public Map<String, ModelUpdate> all() {
    return Map.copyOf(latest);
  }

  /** Model updates read so far (duplicates and stale versions included). */
  public long updatesRead() {
    return updatesRead.get();
  }

  /** Records on the topic that were not a {@code ModelUpdate} (skipped, with a warning). */
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
