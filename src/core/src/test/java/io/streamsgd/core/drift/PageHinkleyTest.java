package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.drift.PageHinkley.Mode;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

  @Test
  void reportsTheChangeInRiversDocstringExampleAtIndex1006() {
    // river.drift.PageHinkley's docstring: "Change detected at index 1006, input value: 5", and
    // only it
    double[] stream = DriftStreams.resource("river-doc-seed12345.txt");
    assertThat(DriftStreams.driftIndices(new PageHinkley(), stream)).containsExactly(1006);
    assertThat(stream[1006]).isEqualTo(5.0);
  }

  @Test
  void reportsTheDocstringsIncreaseOnlyWhenWatchingUpwardChanges() {
    double[] stream = DriftStreams.resource("river-doc-seed12345.txt");
    PageHinkley up = new PageHinkley(30, 0.005, 50, 1 - 0.0001, Mode.UP);
    assertThat(DriftStreams.driftIndices(up, stream)).containsExactly(1006);
    PageHinkley down = new PageHinkley(30, 0.005, 50, 1 - 0.0001, Mode.DOWN);
    assertThat(DriftStreams.driftIndices(down, stream)).isEmpty();
  }

  @Test
  void keepsBothCumulativeSumsAsComputedByHand() {
    // alpha 0.5, delta 0.1, lambda 6, four samples before a change may be reported.
    // U_t = 0.5 U_{t-1} + (x_t - mean_t) - 0.1, L_t = 0.5 L_{t-1} + (x_t - mean_t) + 0.1
    PageHinkley ph = new PageHinkley(4, 0.1, 6, 0.5, Mode.BOTH);
    // x = 1: mean 1, dev 0; U = -0.1 (its minimum), L = 0.1 (its maximum)
    assertThat(ph.update(1)).isEqualTo(DriftSignal.STABLE);
    assertThat(ph.mean()).isEqualTo(1.0);
    assertThat(ph.increaseStatistic()).isCloseTo(0.0, within(1e-12));
    assertThat(ph.decreaseStatistic()).isCloseTo(0.0, within(1e-12));
    // x = 3: mean 2, dev 1; U = -0.05 + 1 - 0.1 = 0.85, L = 0.05 + 1 + 0.1 = 1.15 (new maximum)
    assertThat(ph.update(3)).isEqualTo(DriftSignal.STABLE);
    assertThat(ph.increaseStatistic()).isCloseTo(0.85 + 0.1, within(1e-12));
    assertThat(ph.decreaseStatistic()).isCloseTo(0.0, within(1e-12));
    // x = 2: mean 2, dev 0; U = 0.425 - 0.1 = 0.325, L = 0.575 + 0.1 = 0.675
    assertThat(ph.update(2)).isEqualTo(DriftSignal.STABLE);
    assertThat(ph.increaseStatistic()).isCloseTo(0.325 + 0.1, within(1e-12));
    assertThat(ph.decreaseStatistic()).isCloseTo(1.15 - 0.675, within(1e-12));
    // x = -6: mean 0, dev -6; U = 0.1625 - 6 - 0.1 = -5.9375 (new minimum),
    // L = 0.3375 - 6 + 0.1 = -5.5625; max L - L = 1.15 + 5.5625 = 6.7125 > 6: a decrease
    assertThat(ph.update(-6)).isEqualTo(DriftSignal.DRIFT);
    assertThat(ph.mean()).isEqualTo(0.0);
    assertThat(ph.increaseStatistic()).isCloseTo(0.0, within(1e-12));
    assertThat(ph.decreaseStatistic()).isCloseTo(6.7125, within(1e-12));
    // and it starts over on the next sample
    assertThat(ph.update(5)).isEqualTo(DriftSignal.STABLE);
    assertThat(ph.mean()).isEqualTo(5.0);
    assertThat(ph.driftsDetected()).isEqualTo(1);
    assertThat(ph.samplesSeen()).isEqualTo(5);
  }

  @Test
  void reportsNoChangeBeforeMinInstancesNorInTheDirectionItIsNotWatching() {
    double[] xs = {1, 3, 2, -6};
    PageHinkley early = new PageHinkley(5, 0.1, 6, 0.5, Mode.BOTH);
    PageHinkley up = new PageHinkley(4, 0.1, 6, 0.5, Mode.UP);
    PageHinkley down = new PageHinkley(4, 0.1, 6, 0.5, Mode.DOWN);
    assertThat(DriftStreams.driftIndices(early, xs)).isEmpty();
    assertThat(DriftStreams.driftIndices(up, xs)).isEmpty();
    assertThat(DriftStreams.driftIndices(down, xs)).containsExactly(3);
  }

  @Test
  void defaultsAreRivers() {
    PageHinkley ph = new PageHinkley();
    assertThat(ph.minInstances()).isEqualTo(30);
    assertThat(ph.delta()).isEqualTo(0.005);
    assertThat(ph.threshold()).isEqualTo(50.0);
    assertThat(ph.alpha()).isEqualTo(1 - 0.0001);
    assertThat(ph.mode()).isEqualTo(Mode.BOTH);
  }

  @Test
  void rejectsNonFiniteValuesAndParametersOutOfRange() {
    PageHinkley ph = new PageHinkley();
    assertThatThrownBy(() -> ph.update(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ph.samplesSeen()).isZero();
    assertThatThrownBy(() -> new PageHinkley(-1, 0.005, 50, 0.9999, Mode.BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageHinkley(30, -0.1, 50, 0.9999, Mode.BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageHinkley(30, 0.005, 0, 0.9999, Mode.BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 1.5, Mode.BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Mode.of("sideways")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Mode.of("Up")).isEqualTo(Mode.UP);
  }
}
