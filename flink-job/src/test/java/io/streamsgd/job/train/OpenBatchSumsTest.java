package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dense model's open batch is kept as running sums in keyed state, not as its samples: a
 * checkpoint of an open batch of 40 samples of 400 features holds kilobytes, and the model trained
 * on from it is the one an uninterrupted run trains. A model whose spec needs the samples (here the
 * divergence guard's loss check) keeps them.
 */
class OpenBatchSumsTest {
  static final int D = 400;
  static final int BATCH = 64;

  static ModelSpec spec() {
    return ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", D, 0.01, BATCH), BATCH);
  }

  static List<Sample> samples(int n) {
    Random rnd = new Random(17);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[D];
      double y = 0;
      for (int c = 0; c < D; c++) {
        x[c] = rnd.nextGaussian();
        y += (c % 7 - 3) * x[c] / D;
      }
      out.add(new Sample("m", FeatureVector.dense(x), y, 1, i, new Sample.Origin("t", 0, i)));
    }
    return out;
  }

  /** What a run without failures trains from {@code all}: batches of {@link #BATCH}. */
  static LearnerState uninterrupted(List<Sample> all) {
    LearnerState reference = LearnerState.initial(spec());
    for (int from = 0; from < all.size(); from += BATCH) {
      MinibatchUpdate.apply(reference, all.subList(from, from + BATCH));
    }
    return reference;
  }

  static TrainerHarness builder(boolean rocksDb) {
    TrainerHarness b = TrainerHarness.builder();
    return rocksDb ? b.rocksDb() : b;
  }

  @ParameterizedTest(name = "RocksDB {0}")
  @ValueSource(booleans = {false, true})
  void anOpenBatchIsCheckpointedAsItsSumsAndTrainsOnBitIdentically(boolean rocksDb)
      throws Exception {
    List<Sample> all = samples(3 * BATCH);
    OperatorSubtaskState snapshot;
    List<ModelUpdate> updates = new ArrayList<>();
    try (var h = builder(rocksDb).open(spec())) {
      // The first batch keeps its samples (no model is stored before it); the second one is sums.
      for (Sample s : all.subList(0, BATCH)) {
        h.processElement(s, s.eventTime());
      }
      OperatorSubtaskState closed = h.snapshot(1, 1);
      for (Sample s : all.subList(BATCH, BATCH + 40)) {
        h.processElement(s, s.eventTime());
      }
      snapshot = h.snapshot(2, 2);
      // 40 samples of 400 doubles are 128 KB; as sums (400 doubles and 40 records) about 5 KB.
      assertThat(snapshot.getStateSize() - closed.getStateSize()).isLessThan(8 * 1024);
      OpenBatch meta = keyed(h, TrainerState.openBatchMetaDescriptor()).value();
      assertThat(meta.count).isEqualTo(40);
      assertThat(meta.sums.size()).isEqualTo(40);
      assertThat(keyed(h, TrainerState.openBatchDescriptor()).get()).isNullOrEmpty();
      updates.addAll(h.extractOutputValues());
    }

    try (var h = builder(rocksDb).build()) {
      h.initializeState(snapshot);
      h.open();
      for (Sample s : all.subList(BATCH + 40, all.size())) {
        h.processElement(s, s.eventTime());
      }
      updates.addAll(h.extractOutputValues());
    }
    LearnerState reference = uninterrupted(all);
    assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(1L, 2L, 3L);
    assertThat(ModelUpdates.model(updates.get(2))).isEqualTo(reference.model());
    assertThat(updates.get(2).getMetrics().getCount()).isEqualTo(3 * BATCH);
    assertThat(updates.get(2).getMetrics().getLossSum()).isEqualTo(reference.metrics().lossSum());
  }

  @ParameterizedTest(name = "RocksDB {0}")
  @ValueSource(booleans = {false, true})
  void aSpecThatNeedsTheSamplesKeepsThem(boolean rocksDb) throws Exception {
    ModelSpec guarded = spec();
    guarded.getDivergenceGuard().setLossFactor(2.0);
    List<Sample> all = samples(BATCH + 40);
    try (var h = builder(rocksDb).open(guarded)) {
      for (Sample s : all.subList(0, BATCH)) {
        h.processElement(s, s.eventTime());
      }
      OperatorSubtaskState closed = h.snapshot(1, 1);
      for (Sample s : all.subList(BATCH, BATCH + 40)) {
        h.processElement(s, s.eventTime());
      }
      OperatorSubtaskState snapshot = h.snapshot(2, 2);
      assertThat(snapshot.getStateSize() - closed.getStateSize()).isGreaterThan(40L * D * 8);
      OpenBatch meta = keyed(h, TrainerState.openBatchMetaDescriptor()).value();
      assertThat(meta.count).isEqualTo(40);
      assertThat(meta.sums).isNull();
    }
  }

  /**
   * On RocksDB a kept model is a copy on the heap: past the budget, batches keep their samples, and
   * train to the same bits.
   */
  @org.junit.jupiter.api.Test
  void pastTheBudgetOfKeptModelsBatchesKeepTheirSamples() throws Exception {
    List<Sample> all = samples(3 * BATCH);
    List<ModelUpdate> updates = new ArrayList<>();
    try (var h = TrainerHarness.builder().rocksDb().keptModelBytes(1).open(spec())) {
      for (Sample s : all.subList(0, BATCH + 40)) {
        h.processElement(s, s.eventTime());
      }
      h.prepareSnapshotPreBarrier(1);
      OpenBatch meta = keyed(h, TrainerState.openBatchMetaDescriptor()).value();
      assertThat(meta.count).isEqualTo(40);
      assertThat(meta.sums).isNull();
      for (Sample s : all.subList(BATCH + 40, all.size())) {
        h.processElement(s, s.eventTime());
      }
      updates.addAll(h.extractOutputValues());
    }
    LearnerState reference = uninterrupted(all);
    assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(1L, 2L, 3L);
    assertThat(ModelUpdates.model(updates.get(2))).isEqualTo(reference.model());
  }

  /**
   * A batch of sums was scored under its model's spec: a sample under a new spec closes it under
   * the old one (SPEC_CHANGED), and the next batch adopts the new spec.
   */
  @ParameterizedTest(name = "RocksDB {0}")
  @ValueSource(booleans = {false, true})
  void aNewSpecClosesTheOpenBatchOfSums(boolean rocksDb) throws Exception {
    ModelSpec first = spec();
    ModelSpec second = ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", D, 0.02, 8), 8);
    List<Sample> all = samples(BATCH + 10 + 8);
    try (var h = builder(rocksDb).open(first)) {
      for (Sample s : all.subList(0, BATCH + 10)) {
        h.processElement(s, s.eventTime());
      }
      h.processSpec(second, 0);
      for (Sample s : all.subList(BATCH + 10, all.size())) {
        h.processElement(s, s.eventTime());
      }
      List<ModelUpdate> updates = h.extractOutputValues();
      assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(1L, 2L, 3L);
      assertThat(updates.get(1).getCloseReason()).isEqualTo(BatchCloseReason.SPEC_CHANGED);
      assertThat(updates.get(1).getBatchSize()).isEqualTo(10);
      assertThat(updates.get(1).getSpec()).isEqualTo(first);
      assertThat(updates.get(2).getCloseReason()).isEqualTo(BatchCloseReason.SIZE);
      assertThat(updates.get(2).getBatchSize()).isEqualTo(8);
      assertThat(updates.get(2).getSpec()).isEqualTo(second);

      LearnerState reference = LearnerState.initial(first);
      MinibatchUpdate.apply(reference, all.subList(0, BATCH));
      MinibatchUpdate.apply(reference, all.subList(BATCH, BATCH + 10));
      reference.adopt(second);
      MinibatchUpdate.apply(reference, all.subList(BATCH + 10, all.size()));
      assertThat(ModelUpdates.model(updates.get(2))).isEqualTo(reference.model());
    }
  }

  private static <S extends State> S keyed(
      TrainerHarness.Harness h, StateDescriptor<S, ?> descriptor) throws Exception {
    var backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey("m");
    return backend.getPartitionedState(
        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
  }
}
