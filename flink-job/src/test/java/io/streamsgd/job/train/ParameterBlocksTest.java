package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.OptimizerKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The RocksDB layout: a hashed model of 2^18 weights keeps its columns in blocks of 64, each batch
 * rewrites the blocks it touches and no other, and what it publishes is bit for bit what the value
 * layout and the core's replay publish, across a snapshot and restore too.
 */
class ParameterBlocksTest {
  static final int BITS = 18;

  static ModelSpec spec() {
    ModelSpec spec =
        ModelSpecs.withRegularization(
            ModelSpecs.withOptimizer(
                ModelSpecs.withFixedBatches(
                    ModelSpecs.logisticRegression("big", 1 << BITS, 0.1, 2), 2),
                OptimizerKind.ADAGRAD,
                0.1),
            0.0005,
            0.001);
    spec.setHashBits(BITS);
    spec.getPublication().setEveryUpdates(5);
    return spec;
  }

  /** 400 samples of 3-8 features drawn from 3,000 columns over the whole dimension. */
  static List<Sample> samples() {
    Random rnd = new Random(17);
    int[] pool = rnd.ints(3000, 0, 1 << BITS).toArray();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int[] idx =
          Arrays.stream(rnd.ints(3 + rnd.nextInt(6), 0, pool.length).toArray())
              .map(c -> pool[c])
              .distinct()
              .sorted()
              .toArray();
      double[] val = new double[idx.length];
      Arrays.fill(val, 1.0);
      out.add(
          new Sample(
              "big",
              FeatureVector.sparse(idx, val),
              rnd.nextInt(2),
              1.0,
              1_000 + i,
              new Sample.Origin("samples", 0, i)));
    }
    return out;
  }

  static List<ModelUpdate> run(TrainerHarness builder, List<Sample> stream, int snapshotAt)
      throws Exception {
    List<ModelUpdate> out = new ArrayList<>();
    OperatorSubtaskState snapshot = null;
    try (var h = builder.open(spec())) {
      for (int i = 0; i < snapshotAt; i++) {
        h.processElement(stream.get(i), stream.get(i).eventTime());
      }
      out.addAll(h.extractOutputValues());
      snapshot = h.snapshot(1, 1);
    }
    try (var h = builder.build()) {
      h.initializeState(snapshot);
      h.open();
      h.processSpec(spec(), 0);
      for (int i = snapshotAt; i < stream.size(); i++) {
        h.processElement(stream.get(i), stream.get(i).eventTime());
      }
      out.addAll(h.extractOutputValues());
    }
    return out;
  }

  @Test
  void blocksPublishTheBitsOfTheValueLayoutAndOfTheReplayAcrossARestore() throws Exception {
    List<Sample> stream = samples();
    List<ModelUpdate> blocks = run(TrainerHarness.builder().rocksDb(), stream, 157);
    List<ModelUpdate> value = run(TrainerHarness.builder(), stream, 263);

    assertThat(blocks).extracting(ModelUpdate::getVersion).startsWith(5L, 10L, 15L);
    assertThat(blocks).hasSize(40);
    List<LearnerState> replay = new ArrayList<>();
    BatchReplay.run(
        spec(),
        stream,
        false,
        (s, size, reason, r) -> {
          if (s.version() % 5 == 0) {
            replay.add(s.copy());
          }
        });
    for (int i = 0; i < blocks.size(); i++) {
      assertThat(blocks.get(i).getParameters())
          .as("version %d", blocks.get(i).getVersion())
          .isEqualTo(value.get(i).getParameters());
      assertThat(ModelUpdates.model(blocks.get(i))).isEqualTo(replay.get(i).model());
      assertThat(blocks.get(i).getParameters().getColumns()).isNotEmpty();
    }
  }

  @Test
  void aBatchRewritesOnlyTheBlocksOfItsColumnsAndTheValueHoldsNoColumns() throws Exception {
    List<Sample> stream = samples();
    try (var h = TrainerHarness.builder().rocksDb().open(spec())) {
      Set<Integer> touched = new TreeSet<>();
      for (Sample s : stream.subList(0, 300)) {
        h.processElement(s, s.eventTime());
        for (int c : s.features().indices()) {
          touched.add(c);
        }
      }
      var backend = h.getOperator().getKeyedStateBackend();
      backend.setCurrentKey("big");
      var model =
          backend.getPartitionedState(
              org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
              org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
              TrainerState.modelDescriptor());
      var blocks =
          backend.getPartitionedState(
              org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
              org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
              TrainerState.blocksDescriptor());
      LearnerState learner = model.value();
      assertThat(learner.sparseParameters().size()).as("columns in the value").isZero();
      Set<Integer> stored = new TreeSet<>();
      Set<Integer> blockIds = new TreeSet<>();
      for (var e : blocks.entries()) {
        blockIds.add(e.getKey());
        for (int c : e.getValue().columns()) {
          assertThat(ParameterBlock.blockOf(c)).isEqualTo(e.getKey());
          stored.add(c);
        }
      }
      assertThat(stored).isEqualTo(touched);
      assertThat(learner.sparseParameters().columnsElsewhere()).isEqualTo(touched.size());

      // The next batch: two samples over 5 columns rewrite their blocks only.
      java.util.Map<Integer, ParameterBlock> before = new java.util.HashMap<>();
      for (var e : blocks.entries()) {
        before.put(e.getKey(), e.getValue());
      }
      Set<Integer> batchBlocks = new TreeSet<>();
      for (Sample s : stream.subList(300, 302)) {
        h.processElement(s, s.eventTime());
        for (int c : s.features().indices()) {
          batchBlocks.add(ParameterBlock.blockOf(c));
        }
      }
      backend.setCurrentKey("big");
      int changed = 0;
      for (var e : blocks.entries()) {
        if (!e.getValue().equals(before.get(e.getKey()))) {
          assertThat(batchBlocks).contains(e.getKey());
          changed++;
        }
      }
      assertThat(changed).isPositive().isLessThanOrEqualTo(batchBlocks.size());
    }
  }
}
