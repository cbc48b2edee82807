package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdwinTest {

  @Test
  void reportsTheChangeInRiversDocstringExampleAtIndex1023() {
    // river.drift.ADWIN's docstring: "Change detected at index 1023, input value: 4", and only it
    double[] stream = DriftStreams.resource("river-doc-seed12345.txt");
    assertThat(stream).hasSize(2000);
    assertThat(DriftStreams.driftIndices(new Adwin(), stream)).containsExactly(1023);
    assertThat(stream[1023]).isEqualTo(4.0);
  }

  @Test
  void reportsTheChangesOfRiversMultipleDriftsRegressionTestAt1023And2015And3007() {
    // test_multiple_drifts in River's river/drift/test_adwin_regression.py
    double[] stream = DriftStreams.resource("river-adwin-multiple-drifts-seed42.txt");
    assertThat(DriftStreams.driftIndices(new Adwin(), stream)).containsExactly(1023, 2015, 3007);
  }

  @Test
  void reportsTheChangeOfRiversNumpyRegressionTestAt1023() {
    // test_basic_drift_at_expected_index in River's river/drift/test_adwin_regression.py
    double[] stream = DriftStreams.resource("river-adwin-numpy-seed12345.txt");
    assertThat(DriftStreams.driftIndices(new Adwin(), stream)).containsExactly(1023);
  }

  @Test
  void checksForCutsOnlyEveryClockSamplesCountedFromTheWindowsStart() {
    // 1024 = 32 x 32, and 2015 - 1023 = 3007 - 2015 = 992 = 31 x 32: with the default clock a cut
    // is looked for only at the 32nd, 64th, ... sample since the window (re)started
    double[] stream = DriftStreams.resource("river-adwin-multiple-drifts-seed42.txt");
    assertThat(DriftStreams.driftIndices(new Adwin(), stream))
        .allSatisfy(i -> assertThat((i + 1) % 32).isZero());
    // checking every sample finds the change of River's docstring stream 3 samples after it
    // rather than 24
    double[] doc = DriftStreams.resource("river-doc-seed12345.txt");
    assertThat(DriftStreams.driftIndices(new Adwin(0.002, 1, 5, 5, 10), doc)).containsExactly(1002);
  }

  @Test
  void compressesBucketsIntoRowsOfAtMostFiveAndKeepsWidthTotalAndVarianceExact() {
    Adwin a = new Adwin(0.002, Integer.MAX_VALUE, 5, 5, 10); // never checks
    for (int i = 1; i <= 5; i++) {
      a.update(i);
    }
    // five buckets of one value each
    assertThat(a.rowCount()).isEqualTo(1);
    assertThat(a.bucketsInRow(0)).isEqualTo(5);
    a.update(6);
    // a sixth bucket of one: the two oldest (1, 2) merge into a bucket of two
    assertThat(a.rowCount()).isEqualTo(2);
    assertThat(a.bucketsInRow(0)).isEqualTo(4);
    assertThat(a.bucketsInRow(1)).isEqualTo(1);
    for (int i = 7; i <= 16; i++) {
      a.update(i);
    }
    // every two further values merge one more pair into row 1; at 16 values row 1 would hold six
    // buckets of two, and its two oldest merge into a bucket of four: 4 x 1 + 4 x 2 + 1 x 4 = 16
    assertThat(a.rowCount()).isEqualTo(3);
    assertThat(a.bucketsInRow(0)).isEqualTo(4);
    assertThat(a.bucketsInRow(1)).isEqualTo(4);
    assertThat(a.bucketsInRow(2)).isEqualTo(1);
    assertThat(a.bucketCount()).isEqualTo(9);
    assertThat(a.width()).isEqualTo(16);
    assertThat(a.total()).isEqualTo(136.0); // 1 + ... + 16
    // sum of squared deviations of 1..16 from their mean: n (n^2 - 1) / 12 = 340
    assertThat(a.variance()).isEqualTo(340.0);
    assertThat(a.estimation()).isEqualTo(8.5);
  }

  @Test
  void keepsLogarithmicallyManyBucketsForALongWindow() {
    Adwin a = new Adwin(0.002, Integer.MAX_VALUE, 5, 5, 10);
    for (int i = 0; i < 1_000_000; i++) {
      a.update(i % 7);
    }
    assertThat(a.width()).isEqualTo(1_000_000);
    // rows 0..r hold at most 5 buckets each and at least 4 (all but the last), so
    // 4 (2^r - 1) < 10^6: r <= 17
    assertThat(a.rowCount()).isBetween(17, 18);
    assertThat(a.bucketCount()).isLessThanOrEqualTo(5 * a.rowCount());
  }

  @Test
  void keepsTheWindowsVarianceAsTheSumOfSquaredDeviations() {
    // River's test_variance_correctness: the window's variance matches a two-pass computation
    SplittableRandom rng = new SplittableRandom(999);
    double[] values = new double[500];
    Adwin a = new Adwin();
    for (int i = 0; i < values.length; i++) {
      values[i] = 5 + 2 * DriftStreams.gaussian(rng);
      a.update(values[i]);
    }
    double mean = 0;
    for (double v : values) {
      mean += v / values.length;
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    assertThat(a.width()).isEqualTo(500);
    assertThat(a.variance()).isCloseTo(ss, within(ss * 1e-9));
  }

  @Test
  void cutsTheWindowOnAnAbruptMeanChangeAtTheFirstSplitWhoseMeanGapPassesTheBound() {
    // Checking every sample: 100 zeros, then ones. At 116 values the buckets, oldest first, hold
    // 16 16 16 8 8 8 8 8 4 4 4 | 4 2 2 2 2 1 1 1 1 values: a boundary lies between the zeros and
    // the
    // ones, so the best split is W0 = 100 zeros, W1 = k ones, mean gap 1. Hand computation of the
    // bound, n = 100 + k:
    //   sigma^2 / n = (100 k / n) / n, delta' = ln(2 ln n / 0.002),
    //   m = 1/(100 - 5 + 1) + 1/(k - 5 + 1), eps = sqrt(2 m sigma^2/n delta') + 2/3 delta' m
    //   k = 15: eps = 0.4411 + 0.5718 = 1.0129 > 1 (no cut)
    //   k = 16: eps = 0.4344 + 0.5292 = 0.9636 < 1 (cut)
    assertThat(bound(100, 15)).isCloseTo(1.0129, within(1e-4));
    assertThat(bound(100, 16)).isCloseTo(0.9636, within(1e-4));
    Adwin a = new Adwin(0.002, 1, 5, 5, 10);
    for (int i = 0; i < 100; i++) {
      assertThat(a.update(0.0)).isEqualTo(DriftSignal.STABLE);
    }
    for (int k = 1; k <= 15; k++) {
      assertThat(a.update(1.0)).isEqualTo(DriftSignal.STABLE);
    }
    assertThat(a.update(1.0)).isEqualTo(DriftSignal.DRIFT);
    // the oldest bucket (16 zeros) is dropped; on the 100 values left no split passes the bound
    assertThat(a.width()).isEqualTo(100);
    assertThat(a.total()).isEqualTo(16.0);
    assertThat(a.driftsDetected()).isEqualTo(1);
  }

  private static double bound(int n0, int n1) {
    double n = n0 + n1;
    double varianceInWindow = (double) n0 * n1 / n / n;
    double deltaPrime = Math.log(2 * Math.log(n) / 0.002);
    double m = 1.0 / (n0 - 5 + 1) + 1.0 / (n1 - 5 + 1);
    return Math.sqrt(2 * m * varianceInWindow * deltaPrime) + 2.0 / 3.0 * deltaPrime * m;
  }

  @Test
  void startsOverFromAnEmptyWindowOnTheSampleAfterAChange() {
    // River's test_reset_on_drift_detected
    Adwin a = new Adwin(0.002, 1, 5, 5, 10);
    for (int i = 0; i < 500; i++) {
      a.update(0.0);
    }
    DriftSignal s = DriftSignal.STABLE;
    for (int i = 0; i < 500 && s != DriftSignal.DRIFT; i++) {
      s = a.update(100.0);
    }
    assertThat(s).isEqualTo(DriftSignal.DRIFT);
    assertThat(a.width()).isGreaterThan(1);
    a.update(50.0);
    assertThat(a.width()).isEqualTo(1);
    assertThat(a.total()).isEqualTo(50.0);
    assertThat(a.samplesSeen()).isGreaterThan(500);
  }

  @Test
  void reportsNothingOnAConstantStream() {
    Adwin a = new Adwin();
    for (int i = 0; i < 5000; i++) {
      assertThat(a.update(1.0)).isEqualTo(DriftSignal.STABLE);
    }
    assertThat(a.width()).isEqualTo(5000);
  }

  @Test
  void reportsNothingWithinTheGracePeriod() {
    // River's test_grace_period: 50 zeros then 50 times 1000, never longer than 100
    Adwin a = new Adwin(0.002, 1, 5, 5, 100);
    for (int i = 0; i < 50; i++) {
      a.update(0.0);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(a.update(1000.0)).isEqualTo(DriftSignal.STABLE);
    }
  }

  @Test
  void rejectsNonFiniteValuesAndKeepsItsState() {
    Adwin a = new Adwin();
    a.update(1.0);
    byte[] before = a.toBytes();
    assertThatThrownBy(() -> a.update(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.update(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(a.toBytes()).isEqualTo(before);
  }

  @Test
  void resetForgetsTheWindowAndTheCounts() {
    Adwin a = new Adwin();
    double[] stream = DriftStreams.resource("river-doc-seed12345.txt");
    DriftStreams.driftIndices(a, stream);
    a.reset();
    assertThat(a.toBytes()).isEqualTo(new Adwin().toBytes());
  }

  @Test
  void rejectsParametersOutOfRange() {
    assertThatThrownBy(() -> new Adwin(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Adwin(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Adwin(0.002, 0, 5, 5, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Adwin(0.002, 32, 1, 5, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 5, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
