package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.DriftDetectorName;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.DriftEventKind;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSignalSource;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/**
 * Drift detection in the trainer: two models whose concept flips mid-stream, one dense with a
 * background model (DDM on errors), one hashed into 2^18 weights that resets (ADWIN on losses).
 * Their updates and drift events are those of the core's replay, and the same after a snapshot and
 * restore at any of several points, on the heap and in RocksDB's parameter blocks.
 */
class DriftInTheTrainerTest {
  static final int FLIP = 600; // samples per model before the concept flips
  static final int PER_MODEL = 1500;
  static final int BITS = 18;

  static DriftSpec drift(DriftDetectorName d, DriftSignalSource s, DriftReaction r) {
    return DriftSpec.newBuilder()
        .setDetector(d)
        .setSignal(s)
        .setReaction(r)
        .setParameters(Map.of())
        .build();
  }

  static ModelSpec dense() {
    ModelSpec s =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("dense", 2, 0.5, 10), 10);
    s.setDrift(drift(DriftDetectorName.DDM, DriftSignalSource.ERROR, DriftReaction.BACKGROUND));
    return s;
  }

  static ModelSpec hashed() {
    ModelSpec s =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("hashed", 1 << BITS, 0.5, 4), 4);
    s.setHashBits(BITS);
    s.setDrift(drift(DriftDetectorName.ADWIN, DriftSignalSource.LOSS, DriftReaction.RESET));
    return s;
  }

  /**
   * The two models' samples interleaved. Dense: class 1 when x0 > x1, then when x0 < x1. Hashed:
   * each sample holds one of 40 signal columns (its class fixed, then flipped) and three noise
   * columns, all spread over 2^18.
   */
  static List<Sample> stream() {
    SplittableRandom rnd = new SplittableRandom(23);
    int[] signal = rnd.ints(40, 0, 1 << BITS).toArray();
    int[] noise = rnd.ints(2000, 0, 1 << BITS).toArray();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < PER_MODEL; i++) {
      boolean flipped = i >= FLIP;
      double x0 = rnd.nextDouble();
      double x1 = rnd.nextDouble();
      out.add(
          new Sample(
              "dense",
              FeatureVector.dense(new double[] {x0, x1}),
              (x0 > x1) != flipped ? 1 : 0,
              1,
              2L * i,
              new Sample.Origin("samples", 0, 2L * i)));
      int which = rnd.nextInt(signal.length);
      int[] idx =
          Arrays.stream(
                  new int[] {
                    signal[which],
                    noise[rnd.nextInt(noise.length)],
                    noise[rnd.nextInt(noise.length)],
                    noise[rnd.nextInt(noise.length)]
                  })
              .distinct()
              .sorted()
              .toArray();
      double[] ones = new double[idx.length];
      Arrays.fill(ones, 1.0);
      out.add(
          new Sample(
              "hashed",
              FeatureVector.sparse(idx, ones),
              (which % 2 == 0) != flipped ? 1 : 0,
              1,
              2L * i + 1,
              new Sample.Origin("samples", 0, 2L * i + 1)));
    }
    return out;
  }

  record Run(List<ModelUpdate> updates, List<DriftEvent> events) {}

  static Run run(TrainerHarness builder, List<Sample> stream, int cut) throws Exception {
    List<ModelUpdate> updates = new ArrayList<>();
    List<DriftEvent> events = new ArrayList<>();
    OperatorSubtaskState snapshot;
    try (var h = builder.open(dense(), hashed())) {
      for (Sample s : stream.subList(0, cut)) {
        h.processElement(s, s.eventTime());
      }
      collect(h, updates, events);
      snapshot = h.snapshot(1, 1);
    }
    try (var h = builder.build()) {
      h.initializeState(snapshot);
      h.open();
      h.processSpec(dense(), 0);
      h.processSpec(hashed(), 0);
      for (Sample s : stream.subList(cut, stream.size())) {
        h.processElement(s, s.eventTime());
      }
      collect(h, updates, events);
    }
    return new Run(updates, events);
  }

  static void collect(
      TrainerHarness.Harness h, List<ModelUpdate> updates, List<DriftEvent> events) {
    updates.addAll(h.extractOutputValues());
    var side = h.getSideOutput(MinibatchTrainer.DRIFT_EVENTS);
    if (side != null) {
      side.stream().map(StreamRecord::getValue).forEach(events::add);
    }
  }

  static List<DriftEvent> of(List<DriftEvent> events, String model) {
    return events.stream().filter(e -> e.getModelId().equals(model)).toList();
  }

  static List<ModelUpdate> ofModel(List<ModelUpdate> updates, String model) {
    return updates.stream().filter(u -> u.getModelId().equals(model)).toList();
  }

  @Test
  void driftsAndReactionsAreTheReplaysAndSurviveARestoreAnywhereOnHeapAndInRocksDb()
      throws Exception {
    List<Sample> stream = stream();
    Run reference = run(TrainerHarness.builder(), stream, 0);

    // What the stream must show: the dense model warned, grew a background model and promoted
    // it; the hashed model reset; every event of the second half of the stream.
    List<DriftEvent> dense = of(reference.events(), "dense");
    List<DriftEvent> hashed = of(reference.events(), "hashed");
    assertThat(dense)
        .extracting(DriftEvent::getKind)
        .contains(
            DriftEventKind.WARNING,
            DriftEventKind.BACKGROUND_STARTED,
            DriftEventKind.DRIFT,
            DriftEventKind.BACKGROUND_PROMOTED);
    assertThat(hashed)
        .extracting(DriftEvent::getKind)
        .contains(DriftEventKind.DRIFT, DriftEventKind.RESET);
    DriftEvent reset =
        hashed.stream().filter(e -> e.getKind() == DriftEventKind.RESET).findFirst().orElseThrow();
    assertThat(reset.getSample()).isGreaterThan(FLIP);
    ModelUpdate afterReset =
        ofModel(reference.updates(), "hashed").stream()
            .filter(u -> u.getVersion() == reset.getVersion())
            .findFirst()
            .orElseThrow();
    assertThat(afterReset.getLineage()).isEqualTo(2);
    assertThat(afterReset.getLineageStartVersion()).isEqualTo(reset.getVersion());
    assertThat(afterReset.getDrift().getDrifts()).isGreaterThanOrEqualTo(1);

    // The core's replay: same models, same drift status, version by version.
    for (ModelSpec spec : List.of(dense(), hashed())) {
      List<LearnerState> replay = new ArrayList<>();
      BatchReplay.run(
          spec,
          stream.stream().filter(s -> s.modelId().equals(spec.getModelId())).toList(),
          false,
          (s, size, reason, r) -> replay.add(s.copy()));
      List<ModelUpdate> published = ofModel(reference.updates(), spec.getModelId());
      assertThat(published).hasSize(replay.size());
      for (int i = 0; i < replay.size(); i++) {
        assertThat(ModelUpdates.model(published.get(i))).isEqualTo(replay.get(i).model());
        assertThat(published.get(i).getDrift())
            .isEqualTo(replay.get(i).drift().status(spec.getDrift()));
      }
    }

    for (int cut : new int[] {1, 777, 1203, 1500, 2222, 2999}) {
      assertSame(reference, run(TrainerHarness.builder(), stream, cut), "heap, cut at " + cut);
    }
    for (int cut : new int[] {0, 1203, 2222}) {
      assertSame(
          reference,
          run(TrainerHarness.builder().rocksDb(), stream, cut),
          "RocksDB, cut at " + cut);
    }
  }

  /** Equal runs, or the first update or event that differs. */
  static void assertSame(Run expected, Run actual, String what) {
    for (int i = 0; i < Math.min(expected.updates().size(), actual.updates().size()); i++) {
      ModelUpdate e = expected.updates().get(i);
      ModelUpdate a = actual.updates().get(i);
      assertThat(List.of(a.getModelId(), a.getVersion(), a.getLineage(), "" + a.getDrift()))
          .as("%s: update %d", what, i)
          .isEqualTo(List.of(e.getModelId(), e.getVersion(), e.getLineage(), "" + e.getDrift()));
      assertThat(a.getParameters())
          .as("%s: parameters of update %d", what, i)
          .isEqualTo(e.getParameters());
      assertThat(a.getMetrics()).as("%s: metrics of update %d", what, i).isEqualTo(e.getMetrics());
    }
    assertThat(actual.updates()).as(what).hasSameSizeAs(expected.updates());
    assertThat(actual.events()).as(what).isEqualTo(expected.events());
  }
}
