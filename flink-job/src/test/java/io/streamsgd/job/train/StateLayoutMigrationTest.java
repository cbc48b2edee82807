package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints survive a change of the trainer's state layout. {@code savepoints/trainer-format-1} is
 * an operator snapshot written by the first state layout (format 1 of every serializer), in the
 * middle of open batches; the current code must restore it, migrating the state, and go on training
 * from where it stopped.
 *
 * <p>{@code trainer-format-4} was written by the layout that kept open batches as their samples.
 *
 * <p>To add a snapshot before changing a layout again, run this class with {@code
 * -Dstreamsgd.write-snapshots=true} and commit the file it writes.
 */
class StateLayoutMigrationTest {
  static final ModelSpec SPEC =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 2, 0.1, 4), 4);

  static TrainerHarness.Harness harness() throws Exception {
    return TrainerHarness.builder().build();
  }

  /** 30 samples of model m: 7 batches of 4 applied before the snapshot, 2 samples left open. */
  static List<Sample> samples() {
    Random rnd = new Random(5);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double x0 = rnd.nextDouble();
      double x1 = rnd.nextDouble();
      out.add(
          new Sample(
              "m",
              FeatureVector.dense(new double[] {x0, x1}),
              3 * x0 - x1,
              1,
              i,
              new Sample.Origin("t", 0, i)));
    }
    return out;
  }

  static Path snapshotFile(int format) {
    return Path.of("src/test/resources/savepoints/trainer-format-" + format);
  }

  @Test
  @EnabledIfSystemProperty(named = "streamsgd.write-snapshots", matches = "true")
  void writeSnapshotOfTheCurrentLayout() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processSpec(SPEC, 0);
      for (Sample s : samples().subList(0, 30)) {
        h.processElement(s, 0);
      }
      OperatorSubtaskState snapshot = h.snapshot(1, 1);
      Files.createDirectories(snapshotFile(1).getParent());
      // Named after the model serializer's format; the open-batch and sample serializers are in
      // the snapshot with their own format versions.
      OperatorSnapshotUtil.writeStateHandle(
          snapshot,
          snapshotFile(io.streamsgd.job.state.LearnerStateSerializer.FORMAT_FOR_TESTS).toString());
    }
  }

  /**
   * Format 1: the first layout. Format 4: open batches held as their samples, before they became
   * running sums; the restored batch closes from its samples and the next ones accumulate.
   */
  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {1, 4})
  void restoresASnapshotOfAnEarlierLayoutAndTrainsOn(int format) throws Exception {
    OperatorSubtaskState old =
        OperatorSnapshotUtil.readStateHandle(snapshotFile(format).toString());
    // What an uninterrupted run over all 40 samples publishes.
    LearnerState reference = LearnerState.initial(SPEC);
    List<Sample> all = samples();
    for (int i = 0; i + 4 <= all.size(); i += 4) {
      MinibatchUpdate.apply(reference, all.subList(i, i + 4));
    }
    try (var h = harness()) {
      h.initializeState(old);
      h.open();
      for (Sample s : all.subList(30, 40)) {
        h.processElement(s, 0);
      }
      List<ModelUpdate> updates = h.extractOutputValues();
      // the two samples open at snapshot time and the ten after them: batches 8, 9 and 10
      assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(8L, 9L, 10L);
      assertThat(updates.get(2).getSamplesSeen()).isEqualTo(40);
      assertThat(ModelUpdates.model(updates.get(2))).isEqualTo(reference.model());
      assertThat(updates.get(2).getMetrics().getCount()).isEqualTo(40);
    }
  }

  /**
   * The first layout kept specs in broadcast state; restored, each subtask moves its models' specs
   * to keyed state, and a snapshot taken after that restores with the spec where it now lives.
   */
  @Test
  void specsOfTheBroadcastLayoutMoveToKeyedStateAndStayThereAcrossTheNextRestore()
      throws Exception {
    OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(snapshotFile(1).toString());
    LearnerState reference = LearnerState.initial(SPEC);
    List<Sample> all = samples();
    for (int i = 0; i + 4 <= all.size(); i += 4) {
      MinibatchUpdate.apply(reference, all.subList(i, i + 4));
    }
    List<ModelUpdate> updates = new java.util.ArrayList<>();
    OperatorSubtaskState migrated;
    try (var h = harness()) {
      h.initializeState(old);
      h.open();
      for (Sample s : all.subList(30, 34)) {
        h.processElement(s, 0);
      }
      updates.addAll(h.extractOutputValues());
      migrated = h.snapshot(2, 2);
    }
    try (var h = harness()) {
      h.initializeState(migrated);
      h.open();
      for (Sample s : all.subList(34, 40)) {
        h.processElement(s, 0);
      }
      updates.addAll(h.extractOutputValues());
    }
    assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(8L, 9L, 10L);
    assertThat(ModelUpdates.model(updates.get(2))).isEqualTo(reference.model());
    assertThat(updates.get(2).getSpec()).isEqualTo(SPEC);
  }
}
