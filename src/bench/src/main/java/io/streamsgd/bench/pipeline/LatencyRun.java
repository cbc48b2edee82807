package io.streamsgd.bench.pipeline;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sample-to-model latency: a producer paced at a fixed rate notes when it sent each sample (per
 * model, in order); a read_committed consumer of the models topic notes when a version that
 * contains it (samplesSeen at or past its place in its model's sequence) became visible. Both
 * clocks are this JVM's nanoTime.
 */
final class LatencyRun {
  /** The measured distribution, in milliseconds. */
  record Result(
      double rate,
      long samples,
      double p50,
      double p90,
      double p99,
      double max,
      List<double[]> perSecond) {}

  private final Workload workload;
  private final long[][] sent; // per model: send nanoTime of its i-th sample (1-based)
  private final int[] sentCount;
  private final long[] latestSeen;
  private final Longs latencies = new Longs();
  private final Longs sentAt = new Longs(); // of each latency, the send time of its sample
  private final Longs acks = new Longs();
  private volatile long measureFrom = Long.MAX_VALUE;
  private long measuredFromIndex;
  private volatile double warmupSeconds;

  LatencyRun(Workload workload, int capacityPerModel) {
    this.workload = workload;
    this.sent = new long[workload.models()][capacityPerModel + 1];
    this.sentCount = new int[workload.models()];
    this.latestSeen = new long[workload.models()];
  }

  /** Consumer side: called by the models probe for each update, with the time it was read. */
  synchronized void onUpdate(ModelUpdate u, long readAt) {
    int m = Integer.parseInt(u.getModelId().substring(1));
    long seen = Math.min(u.getSamplesSeen(), sentCount[m]);
    for (long s = latestSeen[m] + 1; s <= seen; s++) {
      long at = sent[m][(int) s];
      if (at >= measureFrom) {
        sentAt.add(at);
        latencies.add(readAt - at);
      }
    }
    latestSeen[m] = Math.max(latestSeen[m], seen);
  }

  /**
   * Produces at {@code rate} samples/s: first a warm-up of at least {@code minWarmup} seconds that
   * lasts until every model shows all samples sent more than {@code caughtUp} ago (a cold cluster
   * builds a backlog while its JVMs compile; measuring while it drains measures the start, not the
   * steady state), at most {@code maxWarmup}; then {@code seconds} measured. Returns the rate
   * really sent while measured: below {@code rate} when sending blocked.
   */
  double produce(
      Map<String, Object> client,
      String topic,
      double rate,
      double seconds,
      double minWarmup,
      double maxWarmup,
      Duration caughtUp)
      throws Exception {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    // Kafka's default since 4.0. With 0 the producer sent a request for nearly every sample,
    // tens of thousands per second, and the broker and this JVM took CPU the pipeline needs;
    // the up to 5 ms a sample waits here count in its latency.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A partition gets at most one batch per request and five requests in flight: with the default
    // 16 KB batches and a loaded broker's ~100 ms round trip, a partition could not take more
    // than ~1,400 samples/s and its samples queued here for seconds.
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    AtomicReference<Exception> failure = new AtomicReference<>();
    // Encoded before the clock starts and sent round-robin: encoding each sample in the loop cost
    // this JVM the CPU that kept it from sending 46,000 samples/s on two shared cores. Their event
    // times are a little old; the latency runs close batches by processing time.
    Workload.Samples samples = workload.new Samples();
    byte[][] pool = new byte[workload.models() * 64][];
    long encodedAt = System.currentTimeMillis();
    for (int i = 0; i < pool.length; i++) {
      pool[i] = Codecs.TRAINING_SAMPLE.encode(samples.next(encodedAt));
    }
    byte[][] keys = new byte[workload.models()][];
    for (int m = 0; m < keys.length; m++) {
      keys[m] = ("m" + m).getBytes(StandardCharsets.UTF_8);
    }
    long start = System.nanoTime();
    long total = Long.MAX_VALUE;
    long nextCheck = start;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < total; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (total == Long.MAX_VALUE && System.nanoTime() >= nextCheck) {
          long now = System.nanoTime();
          double elapsed = (now - start) / 1e9;
          nextCheck = now + 100_000_000L;
          if (elapsed >= maxWarmup
              || (elapsed >= minWarmup && caughtUp(now - caughtUp.toNanos()))) {
            warmupSeconds = elapsed;
            measureFrom = now;
            measuredFromIndex = i;
            total = i + (long) (rate * seconds);
          }
        }
        int m = (int) (i % workload.models());
        byte[] value = pool[(int) (i % pool.length)];
        long at = System.nanoTime();
        synchronized (this) {
          int seq = ++sentCount[m];
          sent[m][seq] = at;
        }
        boolean measured = at >= measureFrom;
        producer.send(
            new ProducerRecord<>(topic, keys[m], value),
            (meta, e) -> {
              if (e != null) {
                failure.set(e);
              } else if (measured) {
                acked(System.nanoTime() - at);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return (total - measuredFromIndex) / ((System.nanoTime() - measureFrom) / 1e9);
  }

  /** True when every sample sent before {@code before} is in a visible version of its model. */
  private synchronized boolean caughtUp(long before) {
    for (int m = 0; m < sent.length; m++) {
      long oldestUnseen = latestSeen[m] + 1;
      if (oldestUnseen <= sentCount[m] && sent[m][(int) oldestUnseen] < before) {
        return false;
      }
    }
    return true;
  }

  /** How long the warm-up lasted. */
  /** When (nanoTime) the measured part began; {@link Long#MAX_VALUE} before. */
  long measureFrom() {
    return measureFrom;
  }

  double warmupSeconds() {
    return warmupSeconds;
  }

  /** Producer side: how long the broker took to acknowledge a measured sample. */
  private synchronized void acked(long nanos) {
    acks.add(nanos);
  }

  /**
   * p50 and p99 of send to broker acknowledgement, in ms: the part of the latency before the
   * pipeline.
   */
  synchronized double[] ackPercentiles() {
    long[] a = acks.sorted();
    return new double[] {ms(a, 0.50), ms(a, 0.99)};
  }

  /** Samples produced after the warm-up. */
  synchronized long measuredSent() {
    long n = 0;
    for (int m = 0; m < sent.length; m++) {
      for (int s = 1; s <= sentCount[m]; s++) {
        n += sent[m][s] >= measureFrom ? 1 : 0;
      }
    }
    return n;
  }

  synchronized long measured() {
    return latencies.size;
  }

  synchronized Result result(double rate) {
    long[] l = latencies.sorted();
    return new Result(
        rate,
        l.length,
        ms(l, 0.50),
        ms(l, 0.90),
        ms(l, 0.99),
        l.length == 0 ? Double.NaN : l[l.length - 1] / 1e6,
        perSecond());
  }

  /**
   * p50 and p99 of the samples sent in each second of the measurement: a rising line is a backlog
   * that grows (more load than the pipeline takes), a hump a stall it recovered from.
   */
  private List<double[]> perSecond() {
    List<double[]> out = new ArrayList<>();
    if (latencies.size == 0) {
      return out;
    }
    long from = measureFrom;
    int seconds =
        (int)
                ((Arrays.stream(sentAt.values, 0, sentAt.size).max().getAsLong() - from)
                    / 1_000_000_000L)
            + 1;
    List<List<Long>> buckets = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      buckets.add(new ArrayList<>());
    }
    for (int i = 0; i < latencies.size; i++) {
      buckets.get((int) ((sentAt.values[i] - from) / 1_000_000_000L)).add(latencies.values[i]);
    }
    for (int i = 0; i < seconds; i++) {
      long[] b = buckets.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
      out.add(new double[] {i, ms(b, 0.50), ms(b, 0.99)});
    }
    return out;
  }

  /** A growing list of longs, unboxed. */
  private static final class Longs {
    long[] values = new long[1 << 16];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private static double ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
