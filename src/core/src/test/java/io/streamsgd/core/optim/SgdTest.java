package io.streamsgd.core.optim;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.model.LinearModel;
import org.junit.jupiter.api.Test;

class SgdTest {
  @Test
  void stepsAgainstTheGradientScaledByTheLearningRate() {
    LinearModel m = new LinearModel(1, 2, new double[] {1.0, -1.0}, new double[] {0.5});
    new Sgd(0.25).apply(m, new double[] {2.0, -4.0}, new double[] {1.0}, new double[0][], 1);
    // w - 0.25 g: 1 - 0.5 = 0.5, -1 + 1 = 0; b: 0.5 - 0.25 = 0.25
    assertThat(m.weights()).containsExactly(0.5, 0.0);
    assertThat(m.intercepts()).containsExactly(0.25);
  }
}
