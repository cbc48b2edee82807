package io.streamsgd.job.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.publish.ChunkedVersion;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks published models against a plain single-threaded replay: each model's samples, in topic
 * order, cut into the batch sizes the updates report, through the core's minibatch step.
 */
public final class ReplayCheck {
  private ReplayCheck() {}

  private static final FramedCodec<ModelUpdate> SINGLE_OBJECT =
      FramedCodec.of(Codecs.MODEL_UPDATE, null);

  /**
   * Versions of each model in the order read (one partition per model keeps version order), as
   * published: duplicates kept, a chunked version put together when its last chunk is read,
   * tombstones skipped.
   */
  public static Map<String, List<ModelUpdate>> updatesByModel(
      List<ConsumerRecord<byte[], byte[]>> records) throws DecodeException {
    return updatesByModel(records, SINGLE_OBJECT);
  }

  /** As {@link #updatesByModel(List)}, records read in the framings {@code codec} reads. */
  public static Map<String, List<ModelUpdate>> updatesByModel(
      List<ConsumerRecord<byte[], byte[]>> records, FramedCodec<ModelUpdate> codec)
      throws DecodeException {
    Map<String, List<ModelUpdate>> by = new LinkedHashMap<>();
    Map<ChunkedVersion, TreeMap<Integer, ModelUpdate>> chunks = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.value() == null) {
        continue;
      }
      ModelUpdate u = codec.decode(r.value());
      if (u.getChunk() != null) {
        TreeMap<Integer, ModelUpdate> parts =
            chunks.computeIfAbsent(ChunkedVersion.of(u), v -> new TreeMap<>());
        parts.put(u.getChunk().getIndex(), u);
        if (parts.size() < u.getChunk().getCount()) {
          continue;
        }
        chunks.remove(ChunkedVersion.of(u));
        u = ModelChunks.merge(List.copyOf(parts.values()));
      }
      by.computeIfAbsent(u.getModelId(), k -> new ArrayList<>()).add(u);
    }
    return by;
  }

  /**
   * Offers {@code assembler} every spec committed to {@code modelsTopic}'s published-specs topic,
   * as a reader that reads that topic ahead of the versions would.
   */
  public static void offerPublishedSpecs(TopicIO io, String modelsTopic, VersionAssembler assembler)
      throws DecodeException {
    for (ConsumerRecord<byte[], byte[]> r :
        io.readAllCommitted(TopicNames.publishedSpecs(modelsTopic))) {
      assembler.offerSpec(r.value());
    }
  }

  /**
   * As {@link #updatesByModel(List)} for {@code records} of {@code modelsTopic}, each update given
   * the spec it names, read from the topic's published-specs topic (a transaction's records become
   * visible partition by partition, so it is read again, for up to 10 s, while one is missing).
   */
  public static Map<String, List<ModelUpdate>> updatesWithSpecs(
      TopicIO io, String modelsTopic, List<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    Map<String, List<ModelUpdate>> by = updatesByModel(records);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Map<String, Map<Long, ModelSpec>> specs = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r :
          io.readAllCommitted(TopicNames.publishedSpecs(modelsTopic))) {
        PublishedSpec p = Codecs.PUBLISHED_SPEC.decode(r.value());
        specs
            .computeIfAbsent(p.getModelId(), k -> new HashMap<>())
            .put(p.getSpecFingerprint(), p.getSpec());
      }
      boolean all = true;
      for (List<ModelUpdate> versions : by.values()) {
        for (ModelUpdate u : versions) {
          ModelSpec spec = specs.getOrDefault(u.getModelId(), Map.of()).get(u.getSpecFingerprint());
          if (u.getSpec() == null && spec != null) {
            u.setSpec(spec);
          }
          all &= u.getSpec() != null;
        }
      }
      if (all) {
        return by;
      }
      assertThat(System.nanoTime()).as("every version's spec is published").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * True once every model in {@code expected} has published a version that saw that many samples.
   */
  public static boolean allSeen(
      List<ConsumerRecord<byte[], byte[]>> records, Map<String, Long> expected) {
    return allSeen(records, expected, SINGLE_OBJECT);
  }

  /** As {@link #allSeen(List, Map)}, records read in the framings {@code codec} reads. */
  public static boolean allSeen(
      List<ConsumerRecord<byte[], byte[]>> records,
      Map<String, Long> expected,
      FramedCodec<ModelUpdate> codec) {
    Map<String, Long> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.value() == null) {
        continue; // a tombstone of a chunk key
      }
      try {
        // a chunk tells too: a version's chunks become visible together, in one transaction
        ModelUpdate u = codec.decode(r.value());
        seen.merge(u.getModelId(), u.getSamplesSeen(), Math::max);
      } catch (DecodeException e) {
        return false;
      }
    }
    return expected.entrySet().stream()
        .allMatch(e -> seen.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  /**
   * The weights of published parameters as the dense row-major array, whether they were published
   * dense or sparse (a version that went out in chunks comes back sparse).
   */
  public static double[] denseWeights(LinearParameters p) {
    return ModelUpdates.model(p).toDense().weights();
  }

  /** Versions 1, 2, 3, ... with no gap or duplicate, and counts that add up to {@code samples}. */
  public static void assertContiguous(String model, List<ModelUpdate> versions, long samples) {
    assertThat(versions).as("committed updates of %s", model).isNotNull().isNotEmpty();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).getVersion()).as("%s update %d", model, i).isEqualTo(i + 1);
    }
    ModelUpdate last = versions.get(versions.size() - 1);
    assertThat(last.getSamplesSeen()).as("samples seen by %s", model).isEqualTo(samples);
    assertThat(versions.stream().mapToLong(ModelUpdate::getBatchSize).sum()).isEqualTo(samples);
    // the metrics count the current lineage's samples (a drift's reset starts them afresh)
    long lineageSamples =
        versions.stream()
            .filter(u -> u.getVersion() >= last.getLineageStartVersion())
            .mapToLong(ModelUpdate::getBatchSize)
            .sum();
    assertThat(last.getMetrics().getCount()).isEqualTo(lineageSamples);
  }

  /**
   * The batch sizes a failure-free run cuts from {@code stream} under {@code spec}, decided by the
   * trainer's rule (count- and test-based policies; a trailing partial batch is left out).
   */
  public static List<Integer> expectedBatchSizes(ModelSpec spec, List<Sample> stream) {
    List<Integer> sizes = new ArrayList<>();
    BatchReplay.run(
        spec, fitted(spec, stream), false, (state, size, reason, result) -> sizes.add(size));
    return sizes;
  }

  /**
   * The drift events a failure-free run publishes for {@code stream} under {@code spec}, each as
   * "KIND version sample".
   */
  public static List<String> expectedDriftEvents(ModelSpec spec, List<Sample> stream) {
    List<String> events = new ArrayList<>();
    BatchReplay.run(
        spec,
        fitted(spec, stream),
        false,
        (state, size, reason, result) ->
            result
                .driftEvents()
                .forEach(e -> events.add(e.kind() + " " + state.version() + " " + e.sample())));
    return events;
  }

  /**
   * {@code stream} as the trainer trains on it under {@code spec}: named features folded into its
   * buckets, samples it would refuse left out.
   */
  public static List<Sample> fitted(ModelSpec spec, List<Sample> stream) {
    List<Sample> out = new ArrayList<>(stream.size());
    for (Sample s : stream) {
      SampleValidator.Fitted f = SampleValidator.fit(s, spec);
      if (f.sample() != null) {
        out.add(f.sample());
      }
    }
    return out;
  }

  /** Each model's decoded samples, in topic order. */
  public static Map<String, List<Sample>> samplesByModel(
      List<ConsumerRecord<byte[], byte[]>> sampleRecords) {
    Map<String, List<Sample>> samples = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : sampleRecords) {
      try {
        TrainingSample s = Codecs.TRAINING_SAMPLE.decode(r.value());
        samples
            .computeIfAbsent(s.getModelId(), k -> new ArrayList<>())
            .add(SampleConversion.fromAvro(s, Sample.Origin.UNKNOWN));
      } catch (DecodeException junk) {
        // the job dead-letters these; the replay skips them too
      }
    }
    return samples;
  }

  /** The last published parameters of every model equal the replay's, bit for bit. */
  public static void assertReplayMatches(
      List<ConsumerRecord<byte[], byte[]>> sampleRecords,
      Map<String, ModelSpec> specs,
      Map<String, List<ModelUpdate>> updates) {
    Map<String, List<Sample>> samples = samplesByModel(sampleRecords);
    for (Map.Entry<String, List<ModelUpdate>> e : updates.entrySet()) {
      LearnerState replay = LearnerState.initial(specs.get(e.getKey()));
      List<Sample> stream = fitted(specs.get(e.getKey()), samples.get(e.getKey()));
      int from = 0;
      for (ModelUpdate u : e.getValue()) {
        MinibatchUpdate.apply(replay, stream.subList(from, from + u.getBatchSize()));
        from += u.getBatchSize();
      }
      ModelUpdate last = e.getValue().get(e.getValue().size() - 1);
      double[] published = denseWeights(last.getParameters());
      double[] replayed = replay.model().weights();
      for (int i = 0; i < replayed.length; i++) {
        assertThat(published[i])
            .as("%s weight %d", e.getKey(), i)
            .isCloseTo(replayed[i], within(1e-9));
      }
      assertThat(published).as("bit-identical weights of %s", e.getKey()).isEqualTo(replayed);
      assertThat(DoubleArrayView.toArray(last.getParameters().getIntercepts()))
          .as("bit-identical intercepts of %s", e.getKey())
          .isEqualTo(replay.model().intercepts());
      assertThat(last.getMetrics().getLossSum()).isEqualTo(replay.metrics().lossSum());
    }
  }
}
