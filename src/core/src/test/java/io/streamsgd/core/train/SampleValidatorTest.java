package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.schema.DeadLetterReason;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {

  static Sample of(FeatureVector f) {
    return new Sample("m", f, 1, 1, 0, Sample.Origin.UNKNOWN);
  }

  @Test
  void everyNonFiniteValueIsFoundWhereverItIs() {
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double b : bad) {
      for (int at = 0; at < 9; at++) {
        double[] x = new double[9];
        java.util.Arrays.fill(x, 1.5);
        x[at] = b;
        Rejection dense = SampleValidator.checkIntrinsic(of(FeatureVector.dense(x)));
        assertThat(dense.reason()).isEqualTo(DeadLetterReason.NON_FINITE_FEATURE);
        assertThat(dense.detail()).isEqualTo("feature " + at + " is " + b);
        Rejection hashed =
            SampleValidator.checkIntrinsic(
                of(FeatureVector.named(new String[] {"a", "b", "c"}, new double[] {1, b, 2})));
        assertThat(hashed.reason()).isEqualTo(DeadLetterReason.NON_FINITE_FEATURE);
      }
    }
  }

  @Test
  void largeAndNegativeZeroValuesAreFinite() {
    // Their sum overflows; the check must not take that for a non-finite value.
    double[] x = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -0.0, Double.MIN_VALUE};
    assertThat(SampleValidator.checkIntrinsic(of(FeatureVector.dense(x)))).isNull();
    assertThat(SampleValidator.checkIntrinsic(of(FeatureVector.dense(new double[0])))).isNull();
  }

  @Test
  void sparseIndicesAreStillChecked() {
    Rejection unsorted =
        SampleValidator.checkIntrinsic(
            of(FeatureVector.sparse(new int[] {4, 2}, new double[] {1, 1})));
    assertThat(unsorted.reason()).isEqualTo(DeadLetterReason.SPARSE_INDICES_UNSORTED);
    Rejection negative =
        SampleValidator.checkIntrinsic(of(FeatureVector.sparse(new int[] {-1}, new double[] {1})));
    assertThat(negative.reason()).isEqualTo(DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE);
  }
}
