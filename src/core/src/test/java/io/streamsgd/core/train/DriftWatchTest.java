package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.DriftDetectorName;
import io.streamsgd.schema.DriftEventKind;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSignalSource;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A model's drift watch: detection in stream order, and each reaction after its batch. */
class DriftWatchTest {
  static final int CHANGE = 1000; // the label rule flips after this many samples
  static final int BATCH = 10;

  /** Class 1 when x0 > x1 before the change, when x0 < x1 after it. */
  static List<List<Sample>> flippingStream(int samples) {
    SplittableRandom rnd = new SplittableRandom(7);
    List<List<Sample>> batches = new ArrayList<>();
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      double x0 = rnd.nextDouble();
      double x1 = rnd.nextDouble();
      boolean one = i < CHANGE ? x0 > x1 : x0 < x1;
      batch.add(
          new Sample(
              "m",
              FeatureVector.dense(new double[] {x0, x1}),
              one ? 1 : 0,
              1,
              i,
              new Sample.Origin("t", 0, i)));
      if (batch.size() == BATCH) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    return batches;
  }

  static ModelSpec spec(DriftSpec drift) {
    ModelSpec s =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("m", 2, 0.5, BATCH), BATCH);
    s.setDrift(drift);
    return s;
  }

  static DriftSpec drift(
      DriftDetectorName detector, DriftSignalSource signal, DriftReaction reaction) {
    return DriftSpec.newBuilder()
        .setDetector(detector)
        .setSignal(signal)
        .setReaction(reaction)
        .setParameters(Map.of())
        .build();
  }

  /** Trains on every batch; returns each batch's drift events (index = batch). */
  static List<List<DriftWatch.Event>> train(LearnerState state, List<List<Sample>> batches) {
    List<List<DriftWatch.Event>> events = new ArrayList<>();
    for (List<Sample> b : batches) {
      events.add(MinibatchUpdate.apply(state, b).driftEvents());
    }
    return events;
  }

  static int firstBatchWith(List<List<DriftWatch.Event>> events, DriftEventKind kind) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).stream().anyMatch(e -> e.kind() == kind)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void reportingDetectsTheChangeAndLeavesTheLearningAsItWas() {
    List<List<Sample>> batches = flippingStream(3000);
    LearnerState watched =
        LearnerState.initial(
            spec(drift(DriftDetectorName.ADWIN, DriftSignalSource.LOSS, DriftReaction.REPORT)));
    LearnerState plain = LearnerState.initial(spec(null));
    List<List<DriftWatch.Event>> events = train(watched, batches);
    train(plain, batches);

    DriftWatch.Event drift =
        events.stream()
            .flatMap(List::stream)
            .filter(e -> e.kind() == DriftEventKind.DRIFT)
            .findFirst()
            .orElseThrow();
    // found after the change, within a few hundred samples, by the sample's own position
    assertThat(drift.sample()).isBetween((long) CHANGE + 1, (long) CHANGE + 400);
    assertThat(drift.eventTime()).isEqualTo(drift.sample() - 1); // event time i for sample i+1
    assertThat(watched.model()).isEqualTo(plain.model());
    assertThat(watched.metrics()).isEqualTo(plain.metrics());
    assertThat(watched.lineage()).isEqualTo(1);
    assertThat(watched.drift().drifts()).isGreaterThanOrEqualTo(1);
    assertThat(watched.drift().lastDriftSample()).isGreaterThanOrEqualTo(drift.sample());
  }

  @Test
  void resetStartsTheBatchAfterTheDriftAsANewLineageFromZero() {
    List<List<Sample>> batches = flippingStream(3000);
    ModelSpec spec =
        spec(drift(DriftDetectorName.ADWIN, DriftSignalSource.LOSS, DriftReaction.RESET));
    LearnerState state = LearnerState.initial(spec);
    List<List<DriftWatch.Event>> events = new ArrayList<>();
    int resetAt = -1;
    for (int i = 0; i < batches.size(); i++) {
      LearnerState before = state.copy();
      events.add(MinibatchUpdate.apply(state, batches.get(i)).driftEvents());
      if (resetAt < 0 && events.get(i).stream().anyMatch(e -> e.kind() == DriftEventKind.RESET)) {
        resetAt = i;
        // version i + 1 is the first of lineage 2: learnt from zero on this batch alone
        assertThat(before.drift().reactionDue()).isTrue();
        assertThat(before.lineage()).isEqualTo(1);
        assertThat(state.lineage()).isEqualTo(2);
        assertThat(state.lineageStartVersion()).isEqualTo(i + 1L);
        LearnerState fromZero = LearnerState.initial(spec).setDrift(null);
        MinibatchUpdate.apply(fromZero, batches.get(i));
        assertThat(state.model()).isEqualTo(fromZero.model());
        assertThat(state.metrics()).isEqualTo(fromZero.metrics());
        assertThat(state.samplesSeen()).isEqualTo((i + 1L) * BATCH); // samples keep counting
        assertThat(events.get(i).get(0).sample()).isEqualTo(i * (long) BATCH + 1);
      }
    }
    assertThat(resetAt).isEqualTo(firstBatchWith(events, DriftEventKind.DRIFT) + 1);
    assertThat(resetAt * BATCH).isBetween(CHANGE, CHANGE + 400);
    // the new lineage learnt the new rule: class 1 when x0 < x1
    assertThat(state.model().weights()[0]).isNegative();
    assertThat(state.model().weights()[1]).isPositive();
  }

  @Test
  void aBackgroundModelFromTheWarningIsPromotedAtTheDriftWithExactlyWhatItLearnt() {
    List<List<Sample>> batches = flippingStream(3000);
    DriftSpec ddm = drift(DriftDetectorName.DDM, DriftSignalSource.ERROR, DriftReaction.BACKGROUND);
    LearnerState state = LearnerState.initial(spec(ddm));
    List<List<DriftWatch.Event>> events = new ArrayList<>();
    LearnerState promoted = null;
    for (List<Sample> b : batches) {
      events.add(MinibatchUpdate.apply(state, b).driftEvents());
      if (promoted == null
          && events.get(events.size() - 1).stream()
              .anyMatch(e -> e.kind() == DriftEventKind.BACKGROUND_PROMOTED)) {
        promoted = state.copy();
      }
    }
    int promotedAt = firstBatchWith(events, DriftEventKind.BACKGROUND_PROMOTED);
    assertThat(promotedAt).as("a promotion").isPositive();
    // the background that was promoted started at the last start before the promotion
    int startedAt = -1;
    for (int i = 0; i < promotedAt; i++) {
      if (events.get(i).stream().anyMatch(e -> e.kind() == DriftEventKind.BACKGROUND_STARTED)) {
        startedAt = i;
      }
    }
    assertThat(startedAt).isBetween(0, promotedAt - 1);
    assertThat(events.get(promotedAt).get(0).kind()).isEqualTo(DriftEventKind.BACKGROUND_PROMOTED);
    // The drift was in the batch before the promotion, which opens the next one: a model trained
    // from zero on the batches after the start, through the promotion's own, is the promoted one.
    assertThat(firstBatchWith(events.subList(startedAt, promotedAt), DriftEventKind.DRIFT))
        .isEqualTo(promotedAt - 1 - startedAt);
    LearnerState fresh = LearnerState.initial(spec(ddm)).setDrift(null);
    for (int i = startedAt + 1; i <= promotedAt; i++) {
      MinibatchUpdate.apply(fresh, batches.get(i));
    }
    assertThat(promoted.model()).isEqualTo(fresh.model());
    assertThat(promoted.slots()).isDeepEqualTo(fresh.slots());
    assertThat(promoted.lineage()).isGreaterThanOrEqualTo(2);
    assertThat(promoted.drift().background()).isNull();
    assertThat(promoted.drift().backgroundSamples()).isZero();
  }

  @Test
  void aCopyHoldsTheSameWatchAndGoesOnAlone() {
    List<List<Sample>> batches = flippingStream(1500);
    LearnerState state =
        LearnerState.initial(
            spec(drift(DriftDetectorName.DDM, DriftSignalSource.ERROR, DriftReaction.BACKGROUND)));
    train(state, batches.subList(0, 110));
    LearnerState copy = state.copy();
    assertThat(copy).isEqualTo(state);
    List<List<DriftWatch.Event>> a = train(state, batches.subList(110, batches.size()));
    List<List<DriftWatch.Event>> b = train(copy, batches.subList(110, batches.size()));
    assertThat(b).isEqualTo(a);
    assertThat(copy).isEqualTo(state);
  }
}
