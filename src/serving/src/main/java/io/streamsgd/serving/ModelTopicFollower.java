package io.streamsgd.serving;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry.RegistryInterruptedException;
import io.streamsgd.schema.registry.RegistryException;
import java.time.Duration;
import java.util.HashSet;
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
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the models topic and its published-specs topic from the beginning on a background thread
 * and hands each committed version that is newer than the last one handed on for its model to a
 * callback, whole and with its spec: a version published in chunks only once all of them have
 * arrived, one that names its spec only once that spec has ({@link VersionAssembler}), so a
 * callback never sees a mix of two versions. No consumer group: every reader sees every partition,
 * so each instance of a service holds all models, whatever the others do. Records are read in
 * either framing: Avro single-object encoding, or the Confluent wire format through the schema
 * registry named among the properties ({@link RegistryProperties}); a record that cannot be read (a
 * Confluent-framed one without a registry, an id the registry does not have or a registry that
 * refuses the lookup) is skipped with a warning that says why, and counted.
 */
public final class ModelTopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTopicFollower.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final FramedCodec<ModelUpdate> codec;
  private final FramedCodec<PublishedSpec> specCodec;
  private final String specsTopic;
  private final Consumer<ModelUpdate> onUpdate;
  private final VersionAssembler assembler = VersionAssembler.inMemory();
  private final AtomicLong updatesRead = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile CountDownLatch caughtUp;

  /**
   * @param kafkaProperties client settings: bootstrap.servers and any security settings, and a
   *     schema registry's ({@code schema.registry.url}, {@code basic.auth.user.info}, {@code
   *     schema.registry.ssl.*}) to read Confluent-framed records; these do not go to Kafka
   * @param onUpdate called on the follower's thread with each newer complete version, in topic
   *     order within a partition
   */
  public ModelTopicFollower(
      Map<String, Object> kafkaProperties, String topic, Consumer<ModelUpdate> onUpdate) {
    this.onUpdate = onUpdate;
    this.codec = FramedCodec.of(Codecs.MODEL_UPDATE, RegistryProperties.registry(kafkaProperties));
    this.specCodec =
        FramedCodec.of(Codecs.PUBLISHED_SPEC, RegistryProperties.registry(kafkaProperties));
    this.specsTopic = TopicNames.publishedSpecs(topic);
    Map<String, Object> props = RegistryProperties.withoutRegistry(kafkaProperties);
    // The trainer publishes in Kafka transactions: an aborted model must never be seen.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    // A missing topic is a setup fault to report, not one to create with the broker's defaults.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Set<TopicPartition> partitions = new HashSet<>(partitions(consumer, topic));
    partitions.addAll(partitions(consumer, specsTopic));
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
        throw new IllegalStateException(
            "topic "
                + topic
                + " has no partitions after 30 s (streamsgd topics create makes the models topic"
                + " and its published-specs topic)");
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
          accept(r);
        }
        CountDownLatch waiting = caughtUp;
        if (waiting != null && atEnd()) {
          caughtUp = null;
          waiting.countDown();
        }
      }
    } catch (WakeupException | InterruptException | RegistryInterruptedException e) {
      // closing; an interrupt ended a wait for the schema registry
    } finally {
      Thread.interrupted(); // the consumer closes cleanly only on a thread not interrupted
      consumer.close();
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return; // a tombstone: a chunk key a newer version no longer uses
    }
    boolean spec = r.topic().equals(specsTopic);
    ModelUpdate u = null;
    PublishedSpec s = null;
    try {
      if (spec) {
        s = specCodec.decode(r.value());
      } else {
        u = codec.decode(r.value());
      }
    } catch (DecodeException e) {
      skipped(r, e.kind().name(), e.getMessage());
      return;
    } catch (RegistryException e) {
      // The registry refused the lookup (credentials, a URL that is no registry): skipped as the
      // serving app's stream skips it, so the follower keeps going and the warning names why.
      skipped(r, "REGISTRY_REFUSED", e.getMessage());
      return;
    }
    if (spec) {
      assembler.offerSpec(s).ifPresent(onUpdate);
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

  private void skipped(ConsumerRecord<byte[], byte[]> r, String kind, String why) {
    undecodable.incrementAndGet();
    LOG.warn(
        "Skipped a record that does not decode as a {} ({}-{}@{}, {}): {}",
        r.topic().equals(specsTopic) ? "PublishedSpec" : "ModelUpdate",
        r.topic(),
        r.partition(),
        r.offset(),
        kind,
        why);
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

  /**
   * Records that could not be read as a ModelUpdate (see the class comment), or a chunk that
   * belongs to no version.
   */
  public long undecodableRecords() {
    return undecodable.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(1_000);
    if (thread.isAlive()) {
      thread.interrupt(); // waiting for an unavailable schema registry, which a wakeup cannot end
      thread.join(10_000);
    }
  }
}
