package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.Test;

class MinibatchTrainerTest {
  private static final ModelSpec SPEC_A = ModelSpecs.linearRegression("a", 2, 0.1, 4);
  private static final ModelSpec SPEC_B = ModelSpecs.logisticRegression("b", 2, 0.5, 3);

  private static TrainerHarness.Harness harness(MissingSpecPolicy policy, String defaultSpec)
      throws Exception {
    return TrainerHarness.builder().missingSpec(policy, defaultSpec).build();
  }

  private static TrainerHarness.Harness opened(ModelSpec... specs) throws Exception {
    return TrainerHarness.builder().open(specs);
  }

  private static List<Sample> stream(String model, int n, long seed) {
    Random r = new Random(seed);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x0 = r.nextDouble();
      double x1 = r.nextDouble();
      double y = model.equals("b") ? (x0 + x1 > 1 ? 1 : 0) : 3 * x0 - x1 + 0.5;
      out.add(
          new Sample(
              model,
              FeatureVector.dense(new double[] {x0, x1}),
              y,
              1.0,
              1000L + i,
              new Sample.Origin("samples", 0, i)));
    }
    return out;
  }

  private static List<ModelUpdate> updatesOf(TrainerHarness.Harness h, String model) {
    return h.extractOutputValues().stream()
        .filter(u -> u.getModelId().equals(model))
        .collect(Collectors.toList());
  }

  @Test
  void closesBatchesAtSizeWithConsecutiveVersionsAndCounts() throws Exception {
    try (var h = opened(SPEC_A)) {
      for (Sample s : stream("a", 10, 1)) {
        h.processElement(s, s.eventTime());
      }
      List<ModelUpdate> updates = updatesOf(h, "a");
      assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly(1L, 2L);
      assertThat(updates).extracting(ModelUpdate::getSamplesSeen).containsExactly(4L, 8L);
      assertThat(updates).extracting(ModelUpdate::getBatchSize).containsExactly(4, 4);
      assertThat(updates)
          .extracting(ModelUpdate::getCloseReason)
          .containsOnly(BatchCloseReason.SIZE);
      assertThat(updates.get(0).getMetrics().getCount()).isEqualTo(4);
    }
  }

  @Test
  void trainsExactlyLikeTheCoreReplayOfTheSameBatches() throws Exception {
    List<Sample> samples = stream("a", 12, 2);
    try (var h = opened(SPEC_A)) {
      for (Sample s : samples) {
        h.processElement(s, s.eventTime());
      }
      LearnerState replay = LearnerState.initial(SPEC_A);
      for (int i = 0; i < 12; i += 4) {
        MinibatchUpdate.apply(replay, samples.subList(i, i + 4));
      }
      ModelUpdate last = updatesOf(h, "a").get(2);
      assertThat(ModelUpdates.model(last)).isEqualTo(replay.model());
      assertThat(last.getMetrics().getLossSum()).isEqualTo(replay.metrics().lossSum());
    }
  }

  @Test
  void latencyBoundClosesAPartialBatch() throws Exception {
    try (var h = opened(SPEC_A)) {
      h.setProcessingTime(10_000);
      List<Sample> samples = stream("a", 3, 3);
      for (Sample s : samples) {
        h.processElement(s, s.eventTime());
      }
      h.setProcessingTime(10_999);
      assertThat(updatesOf(h, "a")).isEmpty();
      h.setProcessingTime(11_000); // opened at 10_000 + 1000 ms bound
      List<ModelUpdate> updates = updatesOf(h, "a");
      assertThat(updates).hasSize(1);
      assertThat(updates.get(0).getBatchSize()).isEqualTo(3);
      assertThat(updates.get(0).getCloseReason()).isEqualTo(BatchCloseReason.LATENCY);
      assertThat(updates.get(0).getPublishedAt().toEpochMilli()).isEqualTo(11_000);
    }
  }

  @Test
  void snapshotAndRestoreMidBatchLosesNothing() throws Exception {
    List<Sample> a = stream("a", 14, 4);
    List<Sample> b = stream("b", 10, 5);
    // Reference: one uninterrupted run.
    LinearModel refA;
    LinearModel refB;
    List<Long> refVersions = new ArrayList<>();
    try (var h = opened(SPEC_A, SPEC_B)) {
      for (int i = 0; i < 14; i++) {
        h.processElement(a.get(i), 0);
        if (i < 10) {
          h.processElement(b.get(i), 0);
        }
      }
      refA = ModelUpdates.model(last(updatesOf(h, "a")));
      refB = ModelUpdates.model(last(updatesOf(h, "b")));
      updatesOf(h, "a").forEach(u -> refVersions.add(u.getVersion()));
    }
    // Interrupted run: snapshot with open batches for both models (a holds 2, b holds 1).
    OperatorSubtaskState snapshot;
    List<ModelUpdate> before;
    try (var h = opened(SPEC_A, SPEC_B)) {
      for (int i = 0; i < 6; i++) {
        h.processElement(a.get(i), 0);
      }
      for (int i = 0; i < 4; i++) {
        h.processElement(b.get(i), 0);
      }
      before = new ArrayList<>(h.extractOutputValues());
      snapshot = h.snapshot(1L, 1L);
    }
    assertThat(before).extracting(ModelUpdate::getVersion).containsExactly(1L, 1L);
    try (var h = harness(MissingSpecPolicy.WAIT, null)) {
      h.initializeState(snapshot);
      h.open();
      for (int i = 6; i < 14; i++) {
        h.processElement(a.get(i), 0);
      }
      for (int i = 4; i < 10; i++) {
        h.processElement(b.get(i), 0);
      }
      List<ModelUpdate> afterA = updatesOf(h, "a");
      assertThat(afterA).extracting(ModelUpdate::getVersion).containsExactly(2L, 3L);
      assertThat(last(afterA).getSamplesSeen()).isEqualTo(12);
      assertThat(ModelUpdates.model(last(afterA))).isEqualTo(refA);
      assertThat(ModelUpdates.model(last(updatesOf(h, "b")))).isEqualTo(refB);
      assertThat(last(afterA).getCheckpointId()).isNotNull();
    }
    assertThat(refVersions).containsExactly(1L, 2L, 3L);
  }

  @Test
  void samplesWaitForTheirSpecThenTrainInSizedChunks() throws Exception {
    try (var h = opened()) {
      h.setProcessingTime(0);
      List<Sample> samples = stream("a", 9, 6);
      for (Sample s : samples) {
        h.processElement(s, 0);
      }
      h.setProcessingTime(500);
      assertThat(h.extractOutputValues()).isEmpty();
      h.processSpec(SPEC_A, 0);
      h.setProcessingTime(600); // next poll sees the spec: two full batches, one left open
      assertThat(updatesOf(h, "a")).extracting(ModelUpdate::getBatchSize).containsExactly(4, 4);
      h.setProcessingTime(1_599);
      assertThat(updatesOf(h, "a")).hasSize(2);
      h.setProcessingTime(1_600); // the leftover's batch opened when the spec arrived, at 600
      assertThat(updatesOf(h, "a")).extracting(ModelUpdate::getBatchSize).containsExactly(4, 4, 1);
      assertThat(last(updatesOf(h, "a")).getSamplesSeen()).isEqualTo(9);
    }
  }

  @Test
  void defaultSpecTrainsModelsWithoutTheirOwn() throws Exception {
    String json = ModelSpecJson.toJson(ModelSpecs.linearRegression("default", 2, 0.1, 2));
    try (var h = harness(MissingSpecPolicy.DEFAULT, json)) {
      h.open();
      for (Sample s : stream("z", 4, 7)) {
        h.processElement(s, 0);
      }
      List<ModelUpdate> updates = updatesOf(h, "z");
      assertThat(updates).hasSize(2);
      assertThat(updates.get(0).getSpec().getModelId()).isEqualTo("z");
    }
  }

  @Test
  void samplesThatDoNotFitTheSpecBecomeDeadLetters() throws Exception {
    try (var h = opened(SPEC_A, SPEC_B)) {
      h.processElement(
          new Sample(
              "a",
              FeatureVector.dense(new double[] {1, 2, 3}),
              1,
              1,
              0,
              new Sample.Origin("samples", 0, 7)),
          0);
      h.processElement(
          new Sample(
              "b",
              FeatureVector.dense(new double[] {1, 2}),
              0.5,
              1,
              0,
              new Sample.Origin("samples", 1, 8)),
          0);
      List<DeadLetter> letters = new ArrayList<>();
      h.getSideOutput(DeadLetters.TAG).forEach(r -> letters.add(r.getValue()));
      assertThat(letters)
          .extracting(DeadLetter::getReason)
          .containsExactly(DeadLetterReason.WRONG_DIMENSION, DeadLetterReason.LABEL_OUT_OF_DOMAIN);
      assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(7L, 8L);
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void endOfInputFlushesOpenBatches() throws Exception {
    try (var h = opened(SPEC_A)) {
      for (Sample s : stream("a", 6, 8)) {
        h.processElement(s, 0);
      }
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      h.processSpecWatermark(new Watermark(Long.MAX_VALUE));
      List<ModelUpdate> updates = updatesOf(h, "a");
      assertThat(updates).extracting(ModelUpdate::getBatchSize).containsExactly(4, 2);
      assertThat(last(updates).getCloseReason()).isEqualTo(BatchCloseReason.END_OF_INPUT);
    }
  }

  @Test
  void eventTimeLatencyBoundCutsBatchesBySampleTimesAndWatermarks() throws Exception {
    ModelSpec spec = ModelSpecs.linearRegression("a", 2, 0.1, 100);
    spec.getBatch().setTimeDomain(io.streamsgd.schema.TimeDomain.EVENT_TIME);
    try (var h = opened(spec)) {
      long[] times = {0, 100, 500, 999, 1000};
      for (long t : times) {
        h.processElement(
            new Sample(
                "a",
                FeatureVector.dense(new double[] {1, t / 1000.0}),
                1,
                1,
                t,
                new Sample.Origin("s", 0, t)),
            t);
      }
      // the sample at 1000 reached the first batch's end [0, 1000): it closed that batch, opened
      // the next
      List<ModelUpdate> updates = updatesOf(h, "a");
      assertThat(updates).extracting(ModelUpdate::getBatchSize).containsExactly(4);
      assertThat(updates.get(0).getCloseReason()).isEqualTo(BatchCloseReason.LATENCY);
      assertThat(updates.get(0).getEventTimeMax().toEpochMilli()).isEqualTo(999);
      h.processWatermark(new Watermark(1999));
      h.processSpecWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(updatesOf(h, "a")).hasSize(1);
      h.processWatermark(new Watermark(2000)); // the second batch [1000, 2000) is complete
      assertThat(updatesOf(h, "a")).extracting(ModelUpdate::getBatchSize).containsExactly(4, 1);
      assertThat(last(updatesOf(h, "a")).getCloseReason()).isEqualTo(BatchCloseReason.LATENCY);
    }
  }

  @Test
  void normTestPolicyClosesWhenTheCoreTestPassesAndReportsTheNextTarget() throws Exception {
    ModelSpec spec = ModelSpecs.logisticRegression("b", 2, 0.5, 3);
    spec.getBatch().setKind(io.streamsgd.schema.BatchPolicyKind.NORM_TEST);
    spec.getBatch().setTheta(0.8);
    spec.getBatch().setMinSize(3);
    spec.getBatch().setMaxSize(40);
    spec.getBatch().setMaxLatencyMs(0);
    List<Sample> samples = stream("b", 200, 12);
    // Expected batches, decided with the core alone (the same rule the trainer applies).
    List<Integer> sizes = new ArrayList<>();
    List<BatchCloseReason> reasons = new ArrayList<>();
    List<Integer> targets = new ArrayList<>();
    LearnerState replay =
        BatchReplay.run(
            spec,
            samples,
            false,
            (state, size, reason, result) -> {
              sizes.add(size);
              reasons.add(reason);
              targets.add(state.nextBatchTarget());
            });
    assertThat(sizes).hasSizeGreaterThan(3);
    assertThat(reasons).contains(BatchCloseReason.TEST_PASSED);

    try (var h = opened(spec)) {
      for (Sample s : samples) {
        h.processElement(s, 0);
      }
      List<ModelUpdate> updates = updatesOf(h, "b");
      assertThat(updates).extracting(ModelUpdate::getBatchSize).containsExactlyElementsOf(sizes);
      assertThat(updates)
          .extracting(ModelUpdate::getCloseReason)
          .containsExactlyElementsOf(reasons);
      assertThat(updates)
          .extracting(ModelUpdate::getNextBatchTarget)
          .containsExactlyElementsOf(targets);
      assertThat(ModelUpdates.model(last(updates))).isEqualTo(replay.model());
    }
  }

  @Test
  void samplesHeldForTheirSpecTrainExactlyAsIfTheSpecHadComeFirst() throws Exception {
    ModelSpec spec = ModelSpecs.logisticRegression("b", 2, 0.5, 4);
    spec.getBatch().setKind(io.streamsgd.schema.BatchPolicyKind.NORM_TEST);
    spec.getBatch().setTheta(0.8);
    spec.getBatch().setMinSize(2);
    spec.getBatch().setMaxSize(200);
    spec.getBatch().setMaxLatencyMs(0);
    List<Sample> samples = stream("b", 300, 13);
    List<ModelUpdate> specFirst;
    try (var h = opened(spec)) {
      for (Sample s : samples) {
        h.processElement(s, 0);
      }
      specFirst = updatesOf(h, "b");
    }
    try (var h = opened()) {
      h.setProcessingTime(0);
      for (int i = 0; i < 100; i++) {
        h.processElement(samples.get(i), 0);
      }
      h.processSpec(spec, 0);
      for (int i = 100; i < 150; i++) { // samples arriving after the spec, before the poll
        h.processElement(samples.get(i), 0);
      }
      h.setProcessingTime(1_000);
      for (int i = 150; i < samples.size(); i++) {
        h.processElement(samples.get(i), 0);
      }
      List<ModelUpdate> held = updatesOf(h, "b");
      assertThat(held)
          .extracting(ModelUpdate::getBatchSize)
          .containsExactlyElementsOf(
              specFirst.stream().map(ModelUpdate::getBatchSize).collect(Collectors.toList()));
      assertThat(ModelUpdates.model(last(held))).isEqualTo(ModelUpdates.model(last(specFirst)));
    }
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }
}
