package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LogisticLoss;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class MinibatchUpdateTest {

  private static Sample dense(double y, double... x) {
    return new Sample("m", FeatureVector.dense(x), y, 1.0, 0, Sample.Origin.UNKNOWN);
  }

  @Test
  void oneStepMatchesTheHandComputedGradient() {
    // w = 0, b = 0, squared loss: residual = -y; mean gradient over 2 samples.
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 2, 0.5, 2));
    BatchResult r = MinibatchUpdate.apply(state, List.of(dense(2, 1, 0), dense(4, 0, 2)));
    // grad w = ((-2)*[1,0] + (-4)*[0,2]) / 2 = [-1, -4]; grad b = (-2 - 4) / 2 = -3
    assertThat(state.model().weights()).containsExactly(0.5, 2.0);
    assertThat(state.model().intercepts()).containsExactly(1.5);
    // prequential loss: 0.5*4 + 0.5*16 = 10, scored before the step
    assertThat(r.lossSum()).isEqualTo(10.0);
    assertThat(state.version()).isEqualTo(1);
    assertThat(state.samplesSeen()).isEqualTo(2);
  }

  @Test
  void sparseAndDensePathsAgree() {
    ModelSpec spec = ModelSpecs.logisticRegression("m", 4, 0.3, 3);
    LearnerState viaDense = LearnerState.initial(spec);
    LearnerState viaSparse = LearnerState.initial(spec);
    Random rnd = new Random(3);
    for (int step = 0; step < 20; step++) {
      List<Sample> d = new ArrayList<>();
      List<Sample> s = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        double a = rnd.nextGaussian();
        double c = rnd.nextGaussian();
        double y = a - c > 0 ? 1 : 0;
        d.add(dense(y, a, 0, c, 0));
        s.add(
            new Sample(
                "m",
                FeatureVector.sparse(new int[] {0, 2}, new double[] {a, c}),
                y,
                1,
                0,
                Sample.Origin.UNKNOWN));
      }
      MinibatchUpdate.apply(viaDense, d);
      MinibatchUpdate.apply(viaSparse, s);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(viaSparse.model().weights()[i])
          .isCloseTo(viaDense.model().weights()[i], within(1e-12));
    }
    assertThat(viaDense.model().weights()[0]).isPositive();
    assertThat(viaDense.model().weights()[2]).isNegative();
  }

  @Test
  void l2ShrinksTheWeightsButNotTheIntercept() {
    ModelSpec spec =
        ModelSpecs.of(
            "m",
            io.streamsgd.schema.Task.REGRESSION,
            io.streamsgd.schema.Loss.SQUARED,
            1,
            0.1,
            0.5,
            1,
            1000);
    LearnerState state = LearnerState.initial(spec);
    state.model().weights()[0] = 2.0;
    state.model().intercepts()[0] = 1.0;
    MinibatchUpdate.apply(state, List.of(dense(3.0, 1.0))); // residual 0: only the L2 term moves
    assertThat(state.model().weights()[0]).isCloseTo(2.0 - 0.1 * 0.5 * 2.0, within(1e-15));
    assertThat(state.model().intercepts()[0]).isEqualTo(1.0);
  }

  @Test
  void linearRegressionConvergesToTheLeastSquaresSolution() {
    // y = X beta + noise; minibatch SGD with a small step over many passes of the same data
    // must approach the closed-form least-squares solution computed by EJML (QR).
    Random rnd = new Random(11);
    int n = 400;
    int d = 3;
    double[] beta = {1.5, -2.0, 0.7};
    double intercept = 0.3;
    List<Sample> data = new ArrayList<>();
    DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
    DMatrixRMaj b = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double y =
          intercept + beta[0] * x[0] + beta[1] * x[1] + beta[2] * x[2] + 0.5 * rnd.nextGaussian();
      data.add(dense(y, x));
      for (int j = 0; j < d; j++) {
        a.set(i, j, x[j]);
      }
      a.set(i, d, 1.0);
      b.set(i, 0, y);
    }
    LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(n, d + 1);
    assertThat(qr.setA(a)).isTrue();
    DMatrixRMaj solution = new DMatrixRMaj(d + 1, 1);
    qr.solve(b, solution);

    LearnerState state =
        LearnerState.initial(
            ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", d, 0.05, n), n));
    for (int epoch = 0; epoch < 600; epoch++) {
      MinibatchUpdate.apply(state, data); // one full batch: gradient descent on the exact objective
    }
    for (int j = 0; j < d; j++) {
      assertThat(state.model().weights()[j]).isCloseTo(solution.get(j, 0), within(1e-3));
    }
    assertThat(state.model().intercepts()[0]).isCloseTo(solution.get(d, 0), within(1e-3));
  }

  @Test
  void logisticPredictionsAreProbabilities() {
    LearnerState state = LearnerState.initial(ModelSpecs.logisticRegression("m", 1, 1.0, 2));
    for (int i = 0; i < 200; i++) {
      MinibatchUpdate.apply(state, List.of(dense(1, 2.0), dense(0, -2.0)));
    }
    var p =
        new io.streamsgd.core.model.Predictor(state.spec(), state.model())
            .predict(FeatureVector.dense(new double[] {2.0}));
    assertThat(p.value()).isEqualTo(LogisticLoss.sigmoid(p.score())).isGreaterThan(0.95);
    assertThat(p.predictedClass()).isEqualTo(1);
  }

  @Test
  void refusesAnEmptyBatch() {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 1, 0.1, 2));
    assertThatThrownBy(() -> MinibatchUpdate.apply(state, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
