package io.streamsgd.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
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
    ModelSpec spec = ModelSpecs.logisticRegression("m", 1 << 14, 0.1, 8);
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
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ModelChunker(LIMIT)),
            ModelUpdate::getModelId,
            Types.STRING);
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
    var restored =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ModelChunker(LIMIT)),
            ModelUpdate::getModelId,
            Types.STRING);
    restored.initializeState(snapshot);
    restored.open();
    restored.processElement(version(2, 3_000), 0);
    List<ModelRecord> replayed = restored.extractOutputValues();
    assertThat(keys(replayed)).isEqualTo(keys(uninterrupted)).hasSize(4);
    for (int i = 0; i < replayed.size(); i++) {
      assertThat(replayed.get(i).value()).isEqualTo(uninterrupted.get(i).value());
    }
    restored.close();
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
