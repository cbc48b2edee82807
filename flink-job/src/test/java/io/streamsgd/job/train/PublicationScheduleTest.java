package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.TimeDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.Test;

class PublicationScheduleTest {

  private static ModelSpec spec(int everyUpdates, long everyMs) {
    ModelSpec spec = ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 2, 0.1, 4), 4);
    spec.getPublication().setEveryUpdates(everyUpdates);
    spec.getPublication().setEveryMs(everyMs);
    spec.getPublication().setTimeDomain(TimeDomain.EVENT_TIME);
    return spec;
  }

  /**
   * The trainer with the spec, its broadcast side's watermark out of the way (specs carry none).
   */
  private static TrainerHarness.Harness opened(ModelSpec spec) throws Exception {
    var h = TrainerHarness.builder().open(spec);
    h.processSpecWatermark(new Watermark(Long.MAX_VALUE));
    return h;
  }

  /** Samples of model m, {@code spacing} ms of event time apart from 1,000 on. */
  private static List<Sample> samples(int n, long spacing) {
    Random rnd = new Random(11);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x0 = rnd.nextDouble();
      double x1 = rnd.nextDouble();
      out.add(
          new Sample(
              "m",
              FeatureVector.dense(new double[] {x0, x1}),
              3 * x0 - x1 + 0.5,
              1.0,
              1_000 + i * spacing,
              new Sample.Origin("samples", 0, i)));
    }
    return out;
  }

  @Test
  void publishesEveryNthUpdateAndThePendingOneAtTheEndOfInputWithTheReplaysParameters()
      throws Exception {
    ModelSpec spec = spec(4, 0);
    List<Sample> stream = samples(40, 1); // 10 batches of 4
    Map<Long, LinearModel> replayed = new HashMap<>();
    BatchReplay.run(
        spec, stream, false, (s, size, reason, r) -> replayed.put(s.version(), s.model().copy()));

    try (var h = opened(spec)) {
      for (Sample s : stream) {
        h.processElement(s, s.eventTime());
      }
      assertThat(h.extractOutputValues())
          .extracting(ModelUpdate::getVersion)
          .containsExactly(4L, 8L);
      h.processWatermark(Long.MAX_VALUE); // the end of a bounded input

      List<ModelUpdate> published = h.extractOutputValues();
      assertThat(published).extracting(ModelUpdate::getVersion).containsExactly(4L, 8L, 10L);
      ModelUpdate last = published.get(2);
      assertThat(last.getSamplesSeen()).isEqualTo(40);
      assertThat(last.getBatchSize()).isEqualTo(4);
      assertThat(last.getCloseReason()).isEqualTo(BatchCloseReason.SIZE);
      assertThat(last.getEventTimeMax().toEpochMilli()).isEqualTo(1_039);
      for (ModelUpdate u : published) {
        assertThat(ModelUpdates.model(u)).isEqualTo(replayed.get(u.getVersion()));
      }
    }
  }

  @Test
  void aQuietModelPublishesItsPendingUpdateWhenTheWatermarkPassesTheDeadline() throws Exception {
    // Batches of 4 samples 100 ms apart: version 1 ends at 1,300 (published at once, the first),
    // 2 at 1,700 and 3 at 2,100 wait for the deadline 1,300 + 1,000.
    ModelSpec spec = spec(100, 1_000);
    try (var h = opened(spec)) {
      for (Sample s : samples(12, 100)) {
        h.processElement(s, s.eventTime());
      }
      assertThat(h.extractOutputValues()).extracting(ModelUpdate::getVersion).containsExactly(1L);
      h.processWatermark(2_299);
      assertThat(h.extractOutputValues()).hasSize(1);
      h.processWatermark(2_300);

      List<ModelUpdate> published = h.extractOutputValues();
      assertThat(published).extracting(ModelUpdate::getVersion).containsExactly(1L, 3L);
      assertThat(published.get(1).getSamplesSeen()).isEqualTo(12);
      assertThat(published.get(1).getEventTimeMax().toEpochMilli()).isEqualTo(2_100);
      assertThat(h.numEventTimeTimers()).isEqualTo(1); // only the end-of-input timer is left
    }
  }

  @Test
  void anUpdateDueByTimePublishesAtOnceAndCancelsTheDeadline() throws Exception {
    ModelSpec spec = spec(100, 1_000);
    try (var h = opened(spec)) {
      for (Sample s : samples(16, 100)) { // version 4 ends at 2,500: past 1,300 + 1,000
        h.processElement(s, s.eventTime());
      }
      assertThat(h.extractOutputValues())
          .extracting(ModelUpdate::getVersion)
          .containsExactly(1L, 4L);
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }
  }

  @Test
  void aSpecThatDropsItsScheduleNeverRepublishesAnOldPendingUpdate() throws Exception {
    ModelSpec scheduled = spec(4, 0);
    List<Sample> stream = samples(44, 1);
    try (var h = opened(scheduled)) {
      for (Sample s : stream.subList(0, 40)) { // versions 1..10: 4 and 8 published, 10 pending
        h.processElement(s, s.eventTime());
      }
      h.processSpec(spec(1, 0), 0); // every update again, same shape
      for (Sample s : stream.subList(40, 44)) { // version 11, published at once
        h.processElement(s, s.eventTime());
      }
      h.processWatermark(Long.MAX_VALUE);

      assertThat(h.extractOutputValues())
          .extracting(ModelUpdate::getVersion)
          .containsExactly(4L, 8L, 11L);
    }
  }

  @Test
  void restoringAtAnyPointPublishesTheUninterruptedVersions() throws Exception {
    ModelSpec spec = spec(3, 700);
    List<Sample> stream = samples(50, 90);
    List<Long> reference;
    try (var h = opened(spec)) {
      for (Sample s : stream) {
        h.processElement(s, s.eventTime());
        h.processWatermark(s.eventTime() - 200);
      }
      h.processWatermark(Long.MAX_VALUE);
      reference = h.extractOutputValues().stream().map(ModelUpdate::getVersion).toList();
    }
    assertThat(reference).contains(3L, 6L).hasSizeGreaterThan(4);

    for (int cut = 0; cut <= stream.size(); cut++) {
      List<Long> combined = new ArrayList<>();
      OperatorSubtaskState snapshot;
      try (var h = opened(spec)) {
        for (Sample s : stream.subList(0, cut)) {
          h.processElement(s, s.eventTime());
          h.processWatermark(s.eventTime() - 200);
        }
        snapshot = h.snapshot(1, 0);
        h.extractOutputValues().forEach(u -> combined.add(u.getVersion()));
      }
      try (var h = TrainerHarness.builder().build()) {
        h.initializeState(snapshot);
        h.open();
        h.processSpec(spec, 0);
        h.processSpecWatermark(new Watermark(Long.MAX_VALUE));
        for (Sample s : stream.subList(cut, stream.size())) {
          h.processElement(s, s.eventTime());
          h.processWatermark(s.eventTime() - 200);
        }
        h.processWatermark(Long.MAX_VALUE);
        h.extractOutputValues().forEach(u -> combined.add(u.getVersion()));
      }
      assertThat(combined).as("restored after %d samples", cut).isEqualTo(reference);
    }
  }
}
