package io.streamsgd.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.schema.Loss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class LossGradientTest {

  @ParameterizedTest
  @EnumSource(Loss.class)
  void derivativeMatchesCentralFiniteDifferences(Loss kind) {
    LossFunction loss = LossFunction.of(kind);
    double[] labels = loss.task() == io.streamsgd.schema.Task.REGRESSION ? new double[] {-2.5, 0, 1.3} : new double[] {0, 1};
    double h = 1e-6;
    for (double y : labels) {
      for (double z = -6; z <= 6; z += 0.37) {
        double numeric = (loss.value(z + h, y) - loss.value(z - h, y)) / (2 * h);
        assertThat(loss.derivative(z, y)).as("%s at z=%s y=%s", kind, z, y).isCloseTo(numeric, within(1e-6));
      }
    }
  }

  @Test
  void logisticLossIsStableForHugeMargins() {
    LossFunction loss = LogisticLoss.INSTANCE;
    assertThat(loss.value(800, 1)).isCloseTo(0.0, within(1e-300));
    assertThat(loss.value(-800, 1)).isCloseTo(800.0, within(1e-9));
    assertThat(loss.value(800, 0)).isCloseTo(800.0, within(1e-9));
    assertThat(loss.derivative(-800, 1)).isEqualTo(-1.0);
    assertThat(LogisticLoss.sigmoid(0)).isEqualTo(0.5);
    assertThat(loss.value(0, 1)).isCloseTo(Math.log(2), within(1e-15));
  }

  @Test
  void squaredLossIsHalfTheSquaredResidual() {
    assertThat(SquaredLoss.INSTANCE.value(5, 2)).isEqualTo(4.5);
    assertThat(SquaredLoss.INSTANCE.derivative(5, 2)).isEqualTo(3.0);
  }
}
