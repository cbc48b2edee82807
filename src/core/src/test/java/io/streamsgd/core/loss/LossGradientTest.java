package io.streamsgd.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossGradientTest {

  static LossFunction lossOf(Loss kind) {
    Task task =
        switch (kind) {
          case SQUARED, HUBER, EPSILON_INSENSITIVE -> Task.REGRESSION;
          case LOGISTIC, HINGE, MODIFIED_HUBER -> Task.BINARY;
          case SOFTMAX -> Task.MULTICLASS;
        };
    ModelSpec spec =
        ModelSpec.newBuilder(ModelSpecs.linearRegression("m", 1, 0.1, 1))
            .setTask(task)
            .setLoss(kind)
            .setNumClasses(4)
            .setHuberDelta(0.7)
            .setEpsilon(0.2)
            .build();
    return LossFunction.of(spec);
  }

  /** Points where a loss has a kink (the finite difference is not the derivative there). */
  static boolean nearKink(Loss kind, double z, double y) {
    double r = z - y;
    double t = y > 0.5 ? 1 : -1;
    return switch (kind) {
      case EPSILON_INSENSITIVE -> Math.abs(Math.abs(r) - 0.2) < 1e-3;
      case HINGE -> Math.abs(t * z - 1) < 1e-3;
      default -> false;
    };
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void gradientMatchesCentralFiniteDifferences(Loss kind) {
    LossFunction loss = lossOf(kind);
    int k = loss.outputs(4);
    double[] labels =
        switch (loss.task()) {
          case REGRESSION -> new double[] {-2.5, 0, 1.3};
          case BINARY -> new double[] {0, 1};
          case MULTICLASS -> new double[] {0, 1, 2, 3};
        };
    double h = 1e-6;
    java.util.Random rnd = new java.util.Random(1);
    int checked = 0;
    for (double y : labels) {
      for (int trial = 0; trial < 40; trial++) {
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
          z[j] = -4 + 8 * rnd.nextDouble();
        }
        if (k == 1 && nearKink(kind, z[0], y)) {
          continue;
        }
        double[] grad = new double[k];
        double value = loss.lossAndGradient(z, 0, k, y, grad, 0);
        assertThat(value).isEqualTo(loss.loss(z, 0, k, y));
        for (int j = 0; j < k; j++) {
          double[] up = z.clone();
          double[] down = z.clone();
          up[j] += h;
          down[j] -= h;
          double numeric = (loss.loss(up, 0, k, y) - loss.loss(down, 0, k, y)) / (2 * h);
          assertThat(grad[j])
              .as("%s d/dz%d at %s, y=%s", kind, j, java.util.Arrays.toString(z), y)
              .isCloseTo(numeric, within(1e-5));
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void logisticLossIsStableForHugeMargins() {
    LogisticLoss loss = LogisticLoss.INSTANCE;
    assertThat(loss.value(800, 1)).isCloseTo(0.0, within(1e-300));
    assertThat(loss.value(-800, 1)).isCloseTo(800.0, within(1e-9));
    assertThat(loss.value(800, 0)).isCloseTo(800.0, within(1e-9));
    assertThat(loss.derivative(-800, 1)).isEqualTo(-1.0);
    assertThat(loss.value(0, 1)).isCloseTo(Math.log(2), within(1e-15));
  }

  @Test
  void handValues() {
    assertThat(SquaredLoss.INSTANCE.value(5, 2)).isEqualTo(4.5);
    assertThat(new HuberLoss(1.0).value(5, 2)).isEqualTo(2.5); // 1 * (3 - 0.5)
    assertThat(new HuberLoss(1.0).value(2.5, 2)).isEqualTo(0.125);
    assertThat(new EpsilonInsensitiveLoss(0.5).value(3, 2)).isEqualTo(0.5);
    assertThat(HingeLoss.INSTANCE.value(0.25, 1)).isEqualTo(0.75);
    assertThat(HingeLoss.INSTANCE.value(0.25, 0)).isEqualTo(1.25);
    assertThat(ModifiedHuberLoss.INSTANCE.value(0.5, 1)).isEqualTo(0.25);
    assertThat(ModifiedHuberLoss.INSTANCE.value(-3, 1)).isEqualTo(12.0);
    assertThat(ModifiedHuberLoss.INSTANCE.link(0.5)).isEqualTo(0.75);
    // softmax of (0, ln 3): p = (1/4, 3/4); loss for class 1 = -ln(3/4)
    double[] z = {0, Math.log(3)};
    assertThat(SoftmaxLoss.INSTANCE.loss(z, 0, 2, 1)).isCloseTo(-Math.log(0.75), within(1e-15));
    ModelOutput p = SoftmaxLoss.INSTANCE.predict(z, 0, 2);
    assertThat(p.predictedClass()).isEqualTo(1);
    assertThat(p.probabilities()).containsExactly(new double[] {0.25, 0.75}, within(1e-15));
  }

  @Test
  void softmaxNeverOverflows() {
    double[] z = {1000, 0, -1000};
    double[] grad = new double[3];
    assertThat(SoftmaxLoss.INSTANCE.lossAndGradient(z, 0, 3, 0, grad, 0))
        .isCloseTo(0.0, within(1e-12));
    assertThat(SoftmaxLoss.INSTANCE.loss(z, 0, 3, 2)).isCloseTo(2000.0, within(1e-9));
    for (double g : grad) {
      assertThat(Double.isFinite(g)).isTrue();
    }
  }
}
