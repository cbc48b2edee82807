package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.schema.ModelUpdate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelHistoryTest {
  static ModelUpdate update(String id, long version) {
    ModelUpdate u = LatestModelTopologyTest.update(id, version);
    u.setPublishedAt(Instant.ofEpochMilli(1_000 * version));
    u.setSamplesSeen(10 * version);
    return u;
  }

  static List<Long> versions(ModelHistory.Curve c) {
    return c.points().stream().map(ModelHistory.Point::version).toList();
  }

  @Test
  void keepsEveryVersionUntilFull() {
    ModelHistory h = new ModelHistory(8, 10);
    for (long v = 1; v <= 7; v++) {
      h.record(update("a", v));
    }
    ModelHistory.Curve a = h.curves().get(0);
    assertThat(versions(a)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(a.latest().samplesSeen()).isEqualTo(70);
    assertThat(a.latest().publishedAt()).isEqualTo(7_000);
  }

  @Test
  void halvesTheResolutionWhenFullAndStillSpansTheWholeHistory() {
    ModelHistory h = new ModelHistory(8, 10);
    for (long v = 1; v <= 1000; v++) {
      h.record(update("a", v));
    }
    List<Long> kept = versions(h.curves().get(0));
    assertThat(kept.size()).isLessThanOrEqualTo(8 + 1);
    assertThat(kept.get(0)).isEqualTo(1L);
    assertThat(kept.get(kept.size() - 1)).isEqualTo(1000L);
    // evenly spaced: every gap but the last (up to the latest update) is the same
    long gap = kept.get(1) - kept.get(0);
    for (int i = 1; i < kept.size() - 1; i++) {
      assertThat(kept.get(i) - kept.get(i - 1)).isEqualTo(gap);
    }
    assertThat(kept.get(kept.size() - 1) - kept.get(kept.size() - 2)).isLessThanOrEqualTo(gap);
  }

  @Test
  void ignoresLateAndDuplicateVersions() {
    ModelHistory h = new ModelHistory(8, 10);
    for (long v : new long[] {1, 3, 2, 3, 4}) {
      h.record(update("a", v));
    }
    assertThat(versions(h.curves().get(0))).containsExactly(1L, 3L, 4L);
  }

  @Test
  void tracksAtMostMaxModels() {
    ModelHistory h = new ModelHistory(8, 2);
    h.record(update("b", 1));
    h.record(update("a", 1));
    h.record(update("c", 1));
    h.record(update("a", 2));
    assertThat(h.models()).isEqualTo(2);
    assertThat(h.curves()).extracting(ModelHistory.Curve::modelId).containsExactly("a", "b");
    assertThat(h.latestPoints())
        .extracting(ModelHistory.Point::version)
        .containsExactlyInAnyOrder(2L, 1L);
  }

  static ModelUpdate withDrift(
      long version, long warnings, long drifts, long lastDrift, int lineage) {
    ModelUpdate u = update("d", version);
    u.setDrift(
        io.streamsgd.schema.DriftStatus.newBuilder()
            .setDetector(io.streamsgd.schema.DriftDetectorName.DDM)
            .setReaction(io.streamsgd.schema.DriftReaction.BACKGROUND)
            .setWarning(false)
            .setWarnings(warnings)
            .setDrifts(drifts)
            .setLastDriftSample(lastDrift)
            .setBackgroundSamples(0)
            .build());
    u.setLineage(lineage);
    return u;
  }

  @Test
  void warningsDriftsAndNewLineagesAreMarkedOnceEachAtTheirFirstUpdate() {
    ModelHistory h = new ModelHistory(8, 10);
    h.record(withDrift(1, 0, 0, 0, 1));
    h.record(withDrift(2, 1, 0, 0, 1)); // a warning
    h.record(withDrift(3, 1, 0, 0, 1));
    h.record(withDrift(5, 1, 1, 47, 1)); // a drift at sample 47 (version 4 was not published)
    h.record(withDrift(4, 1, 1, 47, 1)); // stale: ignored
    h.record(withDrift(6, 1, 1, 47, 2)); // the new lineage
    h.record(withDrift(7, 1, 1, 47, 2));
    ModelHistory.Curve c = h.curves().get(0);
    assertThat(c.marks())
        .containsExactly(
            new ModelHistory.Mark(2_000, 2, 20, "warning"),
            new ModelHistory.Mark(5_000, 5, 47, "drift"),
            new ModelHistory.Mark(6_000, 6, 60, "new lineage"));
  }

  @Test
  void aModelKeepsItsLatestFiftyMarks() {
    ModelHistory h = new ModelHistory(8, 10);
    for (int v = 1; v <= 80; v++) {
      h.record(withDrift(v, v, 0, 0, 1)); // a new warning at every version
    }
    List<ModelHistory.Mark> marks = h.curves().get(0).marks();
    assertThat(marks).hasSize(ModelHistory.MARKS_PER_MODEL);
    assertThat(marks.get(0).version()).isEqualTo(31);
    assertThat(marks.get(49).version()).isEqualTo(80);
  }
}
