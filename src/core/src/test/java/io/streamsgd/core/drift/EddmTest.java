package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EddmTest {

  @Test
  void warnsAndReportsTheChangeInRiversDocstringExampleAtIndices1059And1278() {
    // river.drift.binary.EDDM's docstring, with alpha 0.8 and beta 0.75: "Warning detected at
    // index 1059", "Change detected at index 1278"
    double[] stream = DriftStreams.resource("river-doc-binary-seed42.txt");
    assertThat(DriftStreams.riverDocPrintout(new Eddm(30, 0.8, 0.75), stream))
        .containsExactly("warning 1059", "change 1278");
  }

  @Test
  void watchesTheDistancesBetweenErrorsAsComputedByHand() {
    // warm start 2. Errors at samples 2, 4, 6, 10, 15, 16, 17, 18: distances 2 2 2 4 5 1 1 1
    Eddm eddm = new Eddm(2, 0.95, 0.9);
    double[] head = {0, 1, 0, 1, 0, 1, 0, 0, 0, 1};
    for (double e : head) {
      assertThat(eddm.update(e)).isEqualTo(DriftSignal.STABLE);
    }
    // distances 2 2 2 4: mean 2.5, sample std sqrt(3 / 3) = 1, p' + 2 s' = 4.5, a new maximum
    assertThat(eddm.meanDistance()).isEqualTo(2.5);
    assertThat(eddm.distanceStd()).isEqualTo(1.0);
    assertThat(eddm.maxMeanPlusTwoStd()).isEqualTo(4.5);
    for (double e : new double[] {0, 0, 0, 0}) {
      assertThat(eddm.update(e)).isEqualTo(DriftSignal.STABLE);
    }
    // + 5: mean 3, std sqrt(8 / 4): 3 + 2 sqrt(2) = 5.8284, a new maximum
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.STABLE);
    double max = 3 + 2 * Math.sqrt(2);
    assertThat(eddm.maxMeanPlusTwoStd()).isCloseTo(max, within(1e-12));
    // + 1: mean 16/6, std sqrt(11.333 / 5): level 5.6778 / 5.8284 = 0.974, above alpha
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.STABLE);
    assertThat(level(new double[] {2, 2, 2, 4, 5, 1}, max)).isCloseTo(0.9742, within(1e-4));
    // + 1: level 5.4523 / 5.8284 = 0.935, below alpha 0.95: a warning
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.WARNING);
    assertThat(level(new double[] {2, 2, 2, 4, 5, 1, 1}, max)).isCloseTo(0.9355, within(1e-4));
    // + 1: level 5.2261 / 5.8284 = 0.897, below beta 0.9: a change
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.DRIFT);
    assertThat(level(new double[] {2, 2, 2, 4, 5, 1, 1, 1}, max)).isCloseTo(0.8967, within(1e-4));
    // it starts over on the next sample
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.STABLE);
    assertThat(eddm.meanDistance()).isEqualTo(1.0);
    assertThat(eddm.errors()).isEqualTo(1);
    assertThat(eddm.maxMeanPlusTwoStd()).isEqualTo(-1.0);
  }

  /** (mean + 2 sample std) of the distances over max. */
  private static double level(double[] distances, double max) {
    double mean = 0;
    for (double d : distances) {
      mean += d;
    }
    mean /= distances.length;
    double ss = 0;
    for (double d : distances) {
      ss += (d - mean) * (d - mean);
    }
    return (mean + 2 * Math.sqrt(ss / (distances.length - 1))) / max;
  }

  @Test
  void holdsAWarningThroughTheRightPredictionsThatFollowIt() {
    // River re-assesses the warning at errors only
    Eddm eddm = new Eddm(2, 0.95, 0.9);
    for (double e : new double[] {0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1}) {
      eddm.update(e);
    }
    assertThat(eddm.update(1)).isEqualTo(DriftSignal.WARNING);
    assertThat(eddm.update(0)).isEqualTo(DriftSignal.WARNING);
    assertThat(eddm.update(0)).isEqualTo(DriftSignal.WARNING);
  }

  @Test
  void readsOnlyZeroOrOneErrors() {
    Eddm eddm = new Eddm();
    assertThatThrownBy(() -> eddm.update(0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> eddm.update(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(eddm.samplesSeen()).isZero();
  }

  @Test
  void rejectsParametersOutOfRange() {
    assertThatThrownBy(() -> new Eddm(-1, 0.95, 0.9)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Eddm(30, 0.9, 0.95)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Eddm(30, 1.5, 0.9)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Eddm(30, 0.95, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
