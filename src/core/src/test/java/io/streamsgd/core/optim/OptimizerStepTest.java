package io.streamsgd.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.schema.LearningRateSchedule;
import io.streamsgd.schema.OptimizerKind;
import io.streamsgd.schema.OptimizerSpec;
import org.junit.jupiter.api.Test;

/** Each update rule on a two-parameter problem, against values worked out by hand. */
class OptimizerStepTest {
  static final double[] G1 = {0.5, -2.0};
  static final double[] G2 = {0.1, 1.0};

  static double[][] slots(Optimizer o) {
    return new double[o.slotCount()][2];
  }

  @Test
  void sgdWithL2AndL1() {
    double[] w = {1.0, -0.1};
    Optimizer o = new Sgd();
    o.update(w, null, G1, 2, slots(o), 0, new Optimizer.Step(1, 0.1, 0.5, 0.2));
    // w0: 1 - 0.1 (0.5 + 0.2) = 0.93, then soft-threshold 0.05 -> 0.88
    // w1: -0.1 - 0.1 (-2 - 0.02) = 0.102, -> 0.052
    assertThat(w).containsExactly(new double[] {0.88, 0.052}, within(1e-15));
  }

  @Test
  void momentumAndNesterov() {
    double[] w = {0, 0};
    Optimizer heavy = new MomentumSgd(0.9, false);
    double[][] s = slots(heavy);
    heavy.update(w, null, G1, 2, s, 0, new Optimizer.Step(1, 0.1, 0, 0));
    heavy.update(w, null, G2, 2, s, 0, new Optimizer.Step(2, 0.1, 0, 0));
    // v1 = g1 = (0.5, -2); w1 = (-0.05, 0.2); v2 = 0.9 v1 + g2 = (0.55, -0.8); w2 = w1 - 0.1 v2 =
    // (-0.105, 0.28)
    assertThat(w).containsExactly(new double[] {-0.105, 0.28}, within(1e-15));
    assertThat(s[0]).containsExactly(new double[] {0.55, -0.8}, within(1e-15));

    double[] u = {0, 0};
    Optimizer nesterov = new MomentumSgd(0.9, true);
    double[][] t = slots(nesterov);
    nesterov.update(u, null, G1, 2, t, 0, new Optimizer.Step(1, 0.1, 0, 0));
    // v1 = (0.5, -2); u1 = -0.1 (g1 + 0.9 v1) = -0.1 (0.95, -3.8) = (-0.095, 0.38)
    assertThat(u).containsExactly(new double[] {-0.095, 0.38}, within(1e-15));
  }

  @Test
  void adaGradAndRmsProp() {
    double[] w = {0, 0};
    Optimizer ada = new AdaGrad(0.0);
    double[][] s = slots(ada);
    ada.update(w, null, G1, 2, s, 0, new Optimizer.Step(1, 0.1, 0, 0));
    ada.update(w, null, G2, 2, s, 0, new Optimizer.Step(2, 0.1, 0, 0));
    // G = (0.25 + 0.01, 4 + 1); w = -0.1 * sign-ish: step1 (-0.1, 0.1), step2 -0.1 (0.1/sqrt(0.26),
    // 1/sqrt(5))
    assertThat(w[0]).isCloseTo(-0.1 - 0.1 * 0.1 / Math.sqrt(0.26), within(1e-15));
    assertThat(w[1]).isCloseTo(0.1 - 0.1 / Math.sqrt(5), within(1e-15));

    double[] r = {0, 0};
    Optimizer rms = new RmsProp(0.9, 0.0);
    double[][] m = slots(rms);
    rms.update(r, null, G1, 2, m, 0, new Optimizer.Step(1, 0.01, 0, 0));
    // E = 0.1 g^2 = (0.025, 0.4); step = 0.01 g / sqrt(E) = 0.01 * (0.5/0.158.., -2/0.632..) =
    // (-0.0316.., +0.0316..)
    assertThat(r[0]).isCloseTo(-0.01 * 0.5 / Math.sqrt(0.025), within(1e-15));
    assertThat(r[1]).isCloseTo(0.01 * 2 / Math.sqrt(0.4), within(1e-15));
  }

  @Test
  void adamWithBiasCorrection() {
    double[] w = {0, 0};
    Optimizer adam = new Adam(0.9, 0.999, 1e-8);
    double[][] s = slots(adam);
    adam.update(w, null, G1, 2, s, 0, new Optimizer.Step(1, 0.001, 0, 0));
    // t = 1: mhat = g, vhat = g^2, step = lr * g / (|g| + eps) ~ lr * sign(g)
    assertThat(w[0]).isCloseTo(-0.001 * 0.5 / (0.5 + 1e-8), within(1e-18));
    assertThat(w[1]).isCloseTo(0.001 * 2 / (2 + 1e-8), within(1e-18));
    adam.update(w, null, G2, 2, s, 0, new Optimizer.Step(2, 0.001, 0, 0));
    double m = 0.9 * 0.1 * 0.5 + 0.1 * 0.1;
    double v = 0.999 * 0.001 * 0.25 + 0.001 * 0.01;
    double mhat = m / (1 - 0.81);
    double vhat = v / (1 - 0.999 * 0.999);
    assertThat(w[0])
        .isCloseTo(
            -0.001 * 0.5 / (0.5 + 1e-8) - 0.001 * mhat / (Math.sqrt(vhat) + 1e-8), within(1e-15));
  }

  @Test
  void ftrlProximalByHandAndExactZeros() {
    double[] w = {0, 0};
    Optimizer ftrl = new FtrlProximal(1.0);
    double[][] s = slots(ftrl);
    // alpha = 0.5, l1 = 0.6, l2 = 0.1
    ftrl.update(w, null, G1, 2, s, 0, new Optimizer.Step(1, 0.5, 0.6, 0.1));
    // coordinate 0: sigma = 0.5/0.5 = 1, z = 0.5 - 0 = 0.5, n = 0.25: |z| <= l1 -> exactly 0
    assertThat(w[0]).isEqualTo(0.0);
    // coordinate 1: n = 4, z = -2: w = -(-2 + 0.6) / ((1 + 2) / 0.5 + 0.1) = 1.4 / 6.1
    assertThat(w[1]).isCloseTo(1.4 / 6.1, within(1e-15));
    assertThat(s[0]).containsExactly(0.5, -2.0);
    assertThat(s[1]).containsExactly(0.25, 4.0);
  }

  @Test
  void sparseIndexUpdatesOnlyTheGivenCoordinates() {
    double[] w = {1, 1, 1, 1};
    Optimizer o = new MomentumSgd(0.5, false);
    double[][] s = new double[1][4];
    o.update(
        w, new int[] {1, 3}, new double[] {1.0, -1.0}, 2, s, 0, new Optimizer.Step(1, 0.1, 0, 0));
    assertThat(w).containsExactly(1.0, 0.9, 1.0, 1.1);
    assertThat(s[0]).containsExactly(0.0, 1.0, 0.0, -1.0);
  }

  @Test
  void learningRateSchedules() {
    OptimizerSpec spec =
        OptimizerSpec.newBuilder().setKind(OptimizerKind.SGD).setLearningRate(0.8).build();
    assertThat(LearningRate.at(spec, 100)).isEqualTo(0.8);
    spec.setSchedule(LearningRateSchedule.INVERSE_SCALING);
    spec.setPowerT(0.5);
    assertThat(LearningRate.at(spec, 16)).isEqualTo(0.2);
    spec.setSchedule(LearningRateSchedule.STEP_DECAY);
    spec.setDecayRate(0.5);
    spec.setDecaySteps(10);
    assertThat(LearningRate.at(spec, 10)).isEqualTo(0.8);
    assertThat(LearningRate.at(spec, 11)).isEqualTo(0.4);
    assertThat(LearningRate.at(spec, 25)).isEqualTo(0.2);
    spec.setSchedule(LearningRateSchedule.EXPONENTIAL_DECAY);
    assertThat(LearningRate.at(spec, 6)).isCloseTo(0.8 * Math.sqrt(0.5), within(1e-15));
    spec.setInterceptLearningRate(2.0);
    assertThat(LearningRate.interceptAt(spec, 11)).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void lazyCatchUpEqualsEagerStepsForL2AndForL1() {
    double eager = 0.8;
    for (int i = 0; i < 7; i++) {
      eager -= 0.1 * 0.3 * eager;
    }
    assertThat(Regularization.catchUp(0.8, 7, 0.1, 0, 0.3)).isCloseTo(eager, within(1e-15));
    double l1 = 0.8;
    for (int i = 0; i < 7; i++) {
      l1 = Regularization.softThreshold(l1, 0.1 * 0.4);
    }
    assertThat(Regularization.catchUp(0.8, 7, 0.1, 0.4, 0)).isCloseTo(l1, within(1e-15));
    assertThat(Regularization.catchUp(0.1, 7, 0.1, 0.4, 0)).isEqualTo(0.0);
  }
}
