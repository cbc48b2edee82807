package io.streamsgd.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.job.config.SpecPublication;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ModelChunkerTest {
  private static final int LIMIT = 20_000;

  /** Version {@code version} of model m, with {@code nonZero} non-zero weights of 2^14. */
  private static ModelUpdate version(long version, int nonZero) {
    return version(version, nonZero, 0.1);
  }

  private static ModelUpdate version(long version, int nonZero, double learningRate) {
    ModelSpec spec = ModelSpecs.logisticRegression("m", 1 << 14, learningRate, 8);
    spec.setHashBits(14);
    ModelUpdate u =
        ModelUpdates.snapshot(
            LearnerState.initial(spec),
            new BatchResult(8, 8, 4, 0, 0, true),
            BatchCloseReason.SIZE,
            version,
            1_000 + version);
    u.setVersion(version);
    double[] w = new double[1 << 14];
    Arrays.fill(w, 0, nonZero, 0.5 + version);
    u.getParameters().setWeights(new DoubleArrayView(w));
    return u;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ModelUpdate, ModelRecord> harness()
      throws Exception {
    return harness(SpecPublication.EVERY_UPDATE, null);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ModelUpdate, ModelRecord> harness(
      SpecPublication specs, OperatorSubtaskState restoreFrom) throws Exception {
    return harness(specs, restoreFrom, false);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ModelUpdate, ModelRecord> harness(
      SpecPublication specs, OperatorSubtaskState restoreFrom, boolean atLeastOnce)
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ModelChunker(LIMIT, specs, atLeastOnce)),
            ModelUpdate::getModelId,
            Types.STRING);
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  private static List<String> keys(List<ModelRecord> records) {
    return records.stream()
        .map(r -> (r.tombstone() ? "tombstone " : "") + r.key().replace('\0', '/'))
        .toList();
  }

  @Test
  void aShrinkingModelDeletesTheChunkKeysItNoLongerUses() throws Exception {
    try (var h = harness()) {
      h.processElement(version(1, 6_000), 0); // 6,000 columns of 10 bytes: 4 chunks
      List<ModelRecord> v1 = new ArrayList<>(h.extractOutputValues());
      assertThat(keys(v1)).containsExactly("m", "m/1", "m/2", "m/3");
      assertThat(v1).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(LIMIT));
      h.getOutput().clear();

      h.processElement(version(2, 3_000), 0); // 2 chunks
      assertThat(keys(h.extractOutputValues()))
          .containsExactly("m", "m/1", "tombstone m/2", "tombstone m/3");
      h.getOutput().clear();

      h.processElement(version(3, 10), 0); // one sparse record
      assertThat(keys(h.extractOutputValues())).containsExactly("m", "tombstone m/1");
      assertThat(Codecs.MODEL_UPDATE.decode(h.extractOutputValues().get(0).value()).getChunk())
          .isNull();
      h.getOutput().clear();

      h.processElement(version(4, 20), 0);
      assertThat(keys(h.extractOutputValues())).as("nothing left to delete").containsExactly("m");
      assertThat(h.numKeyedStateEntries()).as("no state for a model in one record").isZero();
    }
  }

  @Test
  void aRestoredChunkerWritesTheSameRecordsAsOneThatNeverStopped() throws Exception {
    OperatorSubtaskState snapshot;
    List<ModelRecord> uninterrupted;
    try (var h = harness()) {
      h.processElement(version(1, 6_000), 0);
      snapshot = h.snapshot(1, 1);
      h.getOutput().clear();
      h.processElement(version(2, 3_000), 0);
      uninterrupted = new ArrayList<>(h.extractOutputValues());
    }
    var restored = harness(SpecPublication.EVERY_UPDATE, snapshot);
    restored.processElement(version(2, 3_000), 0);
    List<ModelRecord> replayed = restored.extractOutputValues();
    assertThat(keys(replayed)).isEqualTo(keys(uninterrupted)).hasSize(4);
    for (int i = 0; i < replayed.size(); i++) {
      assertThat(replayed.get(i).value()).isEqualTo(uninterrupted.get(i).value());
    }
    restored.close();
  }

  @Test
  void aSpecIsPublishedOnceBeforeTheFirstVersionThatNamesItAndAgainWhenItChanges()
      throws Exception {
    try (var h = harness(SpecPublication.ON_CHANGE, null)) {
      ModelUpdate v1 = version(1, 10);
      h.processElement(v1, 0);
      List<ModelRecord> out = new ArrayList<>(h.extractOutputValues());
      assertThat(out).extracting(ModelRecord::spec).containsExactly(true, false);
      assertThat(out).extracting(ModelRecord::key).containsExactly("m", "m");
      PublishedSpec spec = Codecs.PUBLISHED_SPEC.decode(out.get(0).value());
      assertThat(spec.getSpecFingerprint()).isEqualTo(v1.getSpecFingerprint());
      assertThat(spec.getFromVersion()).isEqualTo(1);
      assertThat(spec.getSpec()).isEqualTo(v1.getSpec());
      ModelUpdate published = Codecs.MODEL_UPDATE.decode(out.get(1).value());
      assertThat(published.getSpec()).isNull();
      assertThat(published.getSpecFingerprint()).isEqualTo(v1.getSpecFingerprint());
      assertThat(v1.getSpec()).as("the trainer's record is left as it was").isNotNull();
      h.getOutput().clear();

      // The same spec: no spec record; every chunk of a chunked version names it.
      h.processElement(version(2, 6_000), 0);
      List<ModelRecord> chunks = new ArrayList<>(h.extractOutputValues());
      assertThat(keys(chunks)).containsExactly("m", "m/1", "m/2", "m/3");
      for (ModelRecord r : chunks) {
        assertThat(r.spec()).isFalse();
        assertThat(Codecs.MODEL_UPDATE.decode(r.value()).getSpec()).isNull();
      }
      snapshotThenChangeSpec(h);
    }
  }

  /** From a snapshot after version 2: no spec again for version 3, a new one for version 4. */
  private static void snapshotThenChangeSpec(
      KeyedOneInputStreamOperatorTestHarness<String, ModelUpdate, ModelRecord> h) throws Exception {
    OperatorSubtaskState snapshot = h.snapshot(2, 2);
    try (var restored = harness(SpecPublication.ON_CHANGE, snapshot)) {
      restored.processElement(version(3, 10), 0);
      assertThat(keys(restored.extractOutputValues()))
          .as("the restored chunker knows the spec is published and version 2 was chunked")
          .containsExactly("m", "tombstone m/1", "tombstone m/2", "tombstone m/3");
      restored.getOutput().clear();
      ModelUpdate v4 = version(4, 10, 0.05);
      restored.processElement(v4, 0);
      List<ModelRecord> out = restored.extractOutputValues();
      assertThat(out).extracting(ModelRecord::spec).containsExactly(true, false);
      PublishedSpec changed = Codecs.PUBLISHED_SPEC.decode(out.get(0).value());
      assertThat(changed.getFromVersion()).isEqualTo(4);
      assertThat(changed.getSpecFingerprint())
          .isEqualTo(v4.getSpecFingerprint())
          .isNotEqualTo(version(3, 10).getSpecFingerprint());
      assertThat(changed.getSpec().getOptimizer().getLearningRate()).isEqualTo(0.05);
    }
  }

  @Test
  void atLeastOnceARestartedChunkerWritesEachModelsSpecAgainWithItsFirstVersion() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(SpecPublication.ON_CHANGE, null, true)) {
      h.processElement(version(1, 10), 0);
      h.processElement(version(2, 10), 0);
      assertThat(h.extractOutputValues())
          .extracting(ModelRecord::spec)
          .containsExactly(true, false, false);
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness(SpecPublication.ON_CHANGE, snapshot, true)) {
      restored.processElement(version(3, 10), 0);
      restored.processElement(version(4, 10), 0);
      List<ModelRecord> out = restored.extractOutputValues();
      assertThat(out).extracting(ModelRecord::spec).containsExactly(true, false, false);
      assertThat(Codecs.PUBLISHED_SPEC.decode(out.get(0).value()).getFromVersion()).isEqualTo(3);
    }
  }

  @Test
  void aVersionThatNamesItsSpecIsSmallerByTheSpec() throws Exception {
    byte[] withSpec;
    byte[] named;
    try (var h = harness(SpecPublication.EVERY_UPDATE, null)) {
      h.processElement(version(1, 10), 0);
      withSpec = h.extractOutputValues().get(0).value();
    }
    try (var h = harness(SpecPublication.ON_CHANGE, null)) {
      h.processElement(version(1, 10), 0);
      named = h.extractOutputValues().get(1).value();
    }
    ModelUpdate decoded = Codecs.MODEL_UPDATE.decode(withSpec);
    int specBytes = Codecs.MODEL_SPEC.encode(decoded.getSpec()).length - 10; // minus its header
    // The union's branch index is one byte either way: the difference is the spec's body.
    assertThat(withSpec.length - named.length).isEqualTo(specBytes);
  }

  @Test
  void everyRecordOfAModelGoesToThePartitionKafkaPicksForItsId() {
    for (String id : List.of("m", "clicks", "a.b:c-9")) {
      byte[] key = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(ModelRecordSerializer.partition(key, 6))
          .isEqualTo(
              org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                  key, 6));
    }
  }
}
