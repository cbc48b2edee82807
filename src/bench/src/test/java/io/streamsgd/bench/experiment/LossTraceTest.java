package io.streamsgd.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossTraceTest {
  /** Batches of 2 samples with losses 1, 3 | 5, 7 | 9, 11 (weights 1). */
  static LossTrace sixSamples() {
    LossTrace t = new LossTrace();
    t.add(2, 2, 4);
    t.add(2, 2, 12);
    t.add(2, 2, 20);
    return t;
  }

  @Test
  void aRangeMeanIsTheWeightedMeanOfTheBatchesInsideIt() {
    LossTrace t = sixSamples();
    assertThat(t.samples()).isEqualTo(6);
    assertThat(t.mean(0, 6)).isEqualTo(36.0 / 6);
    assertThat(t.mean(2, 6)).isEqualTo(32.0 / 4);
    assertThat(t.mean(2, 4)).isEqualTo(6.0);
  }

  @Test
  void weightsCountAsTheTrainerCountsThem() {
    LossTrace t = new LossTrace();
    t.add(2, 3.0, 3.0); // mean 1 over weight 3
    t.add(2, 1.0, 5.0); // mean 5 over weight 1
    assertThat(t.mean(0, 4)).isCloseTo(2.0, offset(1e-12));
    LossTrace weightless = new LossTrace();
    weightless.add(1, 0.0, 0.0);
    assertThat(weightless.mean(0, 1)).isNaN();
  }

  @Test
  void windowsEndAtTheirLastSampleAndAShortLastOneIsLeftOut() {
    List<double[]> w = sixSamples().windows(4);
    assertThat(w).hasSize(1);
    assertThat(w.get(0)).containsExactly(4.0, 4.0);
    List<double[]> pairs = sixSamples().windows(2);
    assertThat(pairs).extracting(p -> p[0]).containsExactly(2.0, 4.0, 6.0);
    assertThat(pairs).extracting(p -> p[1]).containsExactly(2.0, 6.0, 10.0);
  }

  @Test
  void aRangeThatCutsABatchIsRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> sixSamples().mean(1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cuts the batch [0, 2)");
    assertThatThrownBy(() -> sixSamples().windows(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sixSamples().mean(4, 8)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tracesOfTheSameBatchesAreEqual() {
    assertThat(sixSamples()).isEqualTo(sixSamples());
    LossTrace other = sixSamples();
    other.add(1, 1, 0);
    assertThat(other).isNotEqualTo(sixSamples());
  }
}
