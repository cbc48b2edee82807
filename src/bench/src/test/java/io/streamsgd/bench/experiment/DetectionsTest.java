package io.streamsgd.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionsTest {
  @Test
  void theDelayCountsFromTheFirstChangedSample() {
    // 100 samples of the old concept: sample 101 is the first changed one
    assertThat(new Detections(List.of(101L), 100).delay()).isZero();
    assertThat(new Detections(List.of(156L, 400L), 100).delay()).isEqualTo(55);
  }

  @Test
  void alarmsUpToTheLastOldSampleAreFalseAndTheDelayIgnoresThem() {
    Detections d = new Detections(List.of(20L, 100L, 130L, 900L), 100);
    assertThat(d.falseAlarms()).isEqualTo(2);
    assertThat(d.afterChange()).isEqualTo(2);
    assertThat(d.delay()).isEqualTo(29);
  }

  @Test
  void aChangeNeverSignalledHasNoDelay() {
    Detections d = new Detections(List.of(5L), 100);
    assertThat(d.delay()).isEqualTo(-1);
    assertThat(d.falseAlarms()).isEqualTo(1);
    assertThat(new Detections(List.of(), 100).delay()).isEqualTo(-1);
  }
}
