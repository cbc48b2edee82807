package io.streamsgd.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftChartTest {
  static final List<double[]> LINE =
      List.of(new double[] {500, 1.0}, new double[] {1000, 3.0}, new double[] {1500, 2.0});

  @Test
  void aDotSitsOnTheLineBetweenItsPoints() {
    assertThat(DriftChart.yAt(LINE, 750)).isEqualTo(2.0);
    assertThat(DriftChart.yAt(LINE, 1000)).isEqualTo(3.0);
    assertThat(DriftChart.yAt(LINE, 1400))
        .isEqualTo(2.2, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void beyondItsEndsTheLineIsFlat() {
    assertThat(DriftChart.yAt(LINE, 10)).isEqualTo(1.0);
    assertThat(DriftChart.yAt(LINE, 2000)).isEqualTo(2.0);
    assertThat(DriftChart.yAt(List.of(), 1)).isNaN();
  }

  @Test
  void aDifferenceIsTakenPointByPointOverTheSameXs() {
    List<double[]> base = List.of(new double[] {500, 0.5}, new double[] {1000, 1.0});
    List<double[]> d =
        DriftChart.minus(List.of(new double[] {500, 0.75}, new double[] {1000, 0.5}), base);
    assertThat(d).extracting(p -> p[0]).containsExactly(500.0, 1000.0);
    assertThat(d).extracting(p -> p[1]).containsExactly(0.25, -0.5);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DriftChart.minus(List.of(new double[] {400, 1}, new double[] {1000, 1}), base))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
