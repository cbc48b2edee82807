package io.streamsgd.input.produce;

import io.streamsgd.input.format.ParsedSample;
import io.streamsgd.input.format.SampleFileReader;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.codec.Codecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads a file and produces its examples to the samples topic, keyed by model id, in file order.
 * Lines that are not examples are counted and the first ones kept for the report: never dropped
 * silently. A sample's event time, and its record's timestamp, is the file's own when it has one,
 * kept as given even when earlier than the sample before it (the trainer's watermarks allow for
 * that); else the moment it was read.
 */
public final class FileProducer {
  static final int ERRORS_KEPT = 20;

  /** Lines read between two reports of progress. */
  static final int PROGRESS_EVERY = 1024;

  /** What the file held. */
  public static final class Stats {
    final Map<String, Long> samplesPerModel = new LinkedHashMap<>();
    long samples;
    long badLines;
    final List<String> firstErrors = new ArrayList<>();
    int dimension;
    int classes;
    boolean named;
    boolean timesFromData;
    long eventTimeMin = Long.MAX_VALUE;
    long eventTimeMax = Long.MIN_VALUE;
    long outOfOrder;
    double seconds;

    public long samples() {
      return samples;
    }

    /** Samples read per model id, in order of first appearance. */
    public Map<String, Long> samplesPerModel() {
      return samplesPerModel;
    }

    /** Lines that could not be read as a sample. */
    public long badLines() {
      return badLines;
    }

    /** The first few bad lines' errors. */
    public List<String> firstErrors() {
      return firstErrors;
    }

    /** The feature dimension seen (the largest index + 1, or the dense width). */
    public int dimension() {
      return dimension;
    }

    /** Distinct labels seen, for classification. */
    public int classes() {
      return classes;
    }

    /** Whether features were named (to be hashed). */
    public boolean named() {
      return named;
    }

    /** Whether the event times are the file's own (else the moments samples were read). */
    public boolean timesFromData() {
      return timesFromData;
    }

    /** Earliest event time, epoch milliseconds. */
    public long eventTimeMin() {
      return eventTimeMin;
    }

    /** Latest event time, epoch milliseconds. */
    public long eventTimeMax() {
      return eventTimeMax;
    }

    /** Samples whose event time is earlier than that of a sample before them in the file. */
    public long outOfOrder() {
      return outOfOrder;
    }

    /** Time spent reading and producing. */
    public double seconds() {
      return seconds;
    }
  }

  private FileProducer() {}

  public static Stats produce(
      SampleFileReader reader,
      String bootstrap,
      String topic,
      String defaultModelId,
      Task task,
      long limit,
      ReadProgress progress)
      throws IOException {
    Stats stats = new Stats();
    long start = System.nanoTime();
    long stamped = 0;
    long lines = 0;
    AtomicLong refused = new AtomicLong();
    AtomicReference<Exception> firstRefusal = new AtomicReference<>();
    Callback sent =
        (metadata, e) -> {
          if (e != null) {
            refused.incrementAndGet();
            firstRefusal.compareAndSet(null, e);
          }
        };
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            10,
            ProducerConfig.BATCH_SIZE_CONFIG,
            512 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      while (stats.samples < limit) {
        if (++lines % PROGRESS_EVERY == 0) {
          progress.read(reader.bytesRead(), stats.samples);
        }
        ParsedSample s;
        try {
          s = reader.next();
        } catch (SampleFileReader.BadLineException e) {
          stats.badLines++;
          if (stats.firstErrors.size() < ERRORS_KEPT) {
            stats.firstErrors.add(e.getMessage());
          }
          continue;
        }
        if (s == null) {
          break;
        }
        double label = s.label();
        if (task == Task.BINARY && label == -1.0) {
          label = 0.0; // -1/+1 labels (LIBSVM, Vowpal Wabbit) as 0/1
        }
        ParsedSample sample = new ParsedSample(s.modelId(), s.features(), label, s.weight());
        String modelId = s.modelId() == null ? defaultModelId : s.modelId();
        stats.samples++;
        stats.samplesPerModel.merge(modelId, 1L, Long::sum);
        stats.dimension = Math.max(stats.dimension, sample.dimensionNeeded());
        stats.named |= sample.features() instanceof NamedFeatures;
        if (task == Task.MULTICLASS && label >= 0 && label == Math.rint(label)) {
          stats.classes = Math.max(stats.classes, (int) label + 1);
        }
        long time;
        if (s.eventTime() != null) {
          time = s.eventTime();
          stats.timesFromData = true;
        } else {
          // The file has no time of its own: a sample's event time is when it was read, never in
          // the future (the broker refuses those) and never before the sample read ahead of it.
          time = stamped = Math.max(stamped, System.currentTimeMillis());
        }
        if (time < stats.eventTimeMax) {
          stats.outOfOrder++;
        }
        stats.eventTimeMin = Math.min(stats.eventTimeMin, time);
        stats.eventTimeMax = Math.max(stats.eventTimeMax, time);
        byte[] value = Codecs.TRAINING_SAMPLE.encode(sample.toRecord(defaultModelId, time));
        // the record timestamp is the sample's event time: the trainer's watermarks follow it
        producer.send(
            new ProducerRecord<>(
                topic, null, time, modelId.getBytes(StandardCharsets.UTF_8), value),
            sent);
      }
      producer.flush();
    }
    progress.read(reader.bytesRead(), stats.samples);
    if (refused.get() > 0) {
      // a sample the broker refused would be missing from training without a trace
      throw new IOException(
          "the broker refused " + refused.get() + " samples: " + firstRefusal.get().getMessage(),
          firstRefusal.get());
    }
    stats.seconds = (System.nanoTime() - start) / 1e9;
    return stats;
  }
}
