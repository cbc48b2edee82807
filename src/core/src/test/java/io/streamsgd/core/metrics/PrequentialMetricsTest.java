package io.streamsgd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrequentialMetricsTest {
  @Test
  void wholeStreamAndFadedByHand() {
    PrequentialMetrics m = new PrequentialMetrics();
    double a = 0.5;
    m.record(a, 1, 2.0, 1, 0.0); // loss 2, correct
    m.record(a, 1, 4.0, 0, 0.0); // loss 4, wrong
    m.record(a, 2, 1.0, 1, 0.0); // weight 2
    assertThat(m.count()).isEqualTo(3);
    assertThat(m.meanLoss()).isEqualTo((2 + 4 + 2) / 4.0);
    assertThat(m.accuracy()).isEqualTo(3 / 4.0);
    // faded weights: 0.25*1 + 0.5*1 + 2 = 2.75; faded loss sum 0.25*2 + 0.5*4 + 2*1 = 4.5
    assertThat(m.fadedLoss()).isCloseTo(4.5 / 2.75, within(1e-15));
    assertThat(m.fadedAccuracy()).isCloseTo((0.25 + 2) / 2.75, within(1e-15));
    assertThat(new PrequentialMetrics(m.count(), m.sums())).isEqualTo(m);
  }

  @Test
  void regressionErrors() {
    PrequentialMetrics m = new PrequentialMetrics();
    m.record(1.0, 1, 0, 0, 3.0);
    m.record(1.0, 1, 0, 0, -1.0);
    assertThat(m.rmse()).isEqualTo(Math.sqrt(5));
    assertThat(m.mae()).isEqualTo(2.0);
    assertThat(m.fadedRmse()).isEqualTo(Math.sqrt(5));
  }
}
