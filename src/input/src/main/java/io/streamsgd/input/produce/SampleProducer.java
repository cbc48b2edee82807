package io.streamsgd.input.produce;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the demo's samples: {@code perModel} for each model (0: until stopped), interleaved
 * across models, keyed by model id (so each model's samples stay in order on one partition),
 * optionally paced to a rate. Deterministic per seed.
 */
public final class SampleProducer implements Runnable {
  private final Map<String, Object> clientProperties;
  private final String topic;
  private final List<SeededModel> models;
  private final long perModel;
  private final long seed;
  private final double samplesPerSecond;
  private final AtomicLong produced = new AtomicLong();
  private volatile Throwable failure;
  private volatile boolean stopped;

  /**
   * @param clientProperties Kafka client settings (bootstrap servers, security)
   * @param samplesPerSecond the pace over all models; 0 produces as fast as the broker takes them
   */
  public SampleProducer(
      Map<String, Object> clientProperties,
      String topic,
      List<SeededModel> models,
      long perModel,
      long seed,
      double samplesPerSecond) {
    this.clientProperties = clientProperties;
    this.topic = topic;
    this.models = models;
    this.perModel = perModel;
    this.seed = seed;
    this.samplesPerSecond = samplesPerSecond;
  }

  public SampleProducer(
      String bootstrapServers, String topic, List<SeededModel> models, long perModel, long seed) {
    this(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        topic,
        models,
        perModel,
        seed,
        0);
  }

  /** Ends an endless or paced run after the sample being produced. */
  public void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    Map<String, Object> config = new java.util.HashMap<>(clientProperties);
    config.putAll(
        Map.of(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4"));
    Random[] rnd = new Random[models.size()];
    byte[][] keys = new byte[models.size()][];
    for (int m = 0; m < models.size(); m++) {
      rnd[m] = new Random(seed + m);
      keys[m] = models.get(m).id().getBytes(StandardCharsets.UTF_8);
    }
    long start = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; (perModel == 0 || i < perModel) && !stopped; i++) {
        pace(start, i * models.size());
        // as fast as possible: one millisecond of event time per round, so runs are repeatable;
        // paced: the wall clock, as a live producer would stamp them
        long eventTime = samplesPerSecond > 0 ? System.currentTimeMillis() : start + i;
        for (int m = 0; m < models.size(); m++) {
          double[] xy = models.get(m).example().next(rnd[m]);
          TrainingSample sample =
              TrainingSample.newBuilder()
                  .setModelId(models.get(m).id())
                  .setFeatures(new DenseFeatures(List.of(xy[0])))
                  .setLabel(xy[1])
                  .setEventTime(Instant.ofEpochMilli(eventTime))
                  .build();
          producer.send(
              // the record timestamp is the sample's event time: the trainer's watermarks follow it
              new ProducerRecord<>(
                  topic, null, eventTime, keys[m], Codecs.TRAINING_SAMPLE.encode(sample)),
              (meta, e) -> {
                if (e != null) {
                  failure = e;
                }
              });
          produced.incrementAndGet();
        }
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Sleeps until sample number {@code n} is due at the configured rate. */
  private void pace(long startMillis, long n) {
    if (samplesPerSecond <= 0) {
      return;
    }
    long due = startMillis + (long) (n * 1000 / samplesPerSecond);
    long wait = due - System.currentTimeMillis();
    if (wait > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }

  public long produced() {
    return produced.get();
  }

  public Throwable failure() {
    return failure;
  }
}
