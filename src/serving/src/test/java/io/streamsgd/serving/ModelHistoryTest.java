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
}
