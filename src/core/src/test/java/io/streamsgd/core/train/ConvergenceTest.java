package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LogisticLoss;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.LearningRateSchedule;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The learners reach the optimum that closed-form or second-order methods compute. */
class ConvergenceTest {
  static final int N = 400;
  static final int D = 3;

  static Sample dense(double y, double... x) {
    return new Sample("m", FeatureVector.dense(x), y, 1.0, 0, Sample.Origin.UNKNOWN);
  }

  static List<Sample> regressionData() {
    Random rnd = new Random(11);
    List<Sample> data = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      data.add(dense(0.3 + 1.5 * x[0] - 2.0 * x[1] + 0.7 * x[2] + 0.5 * rnd.nextGaussian(), x));
    }
    return data;
  }

  /** Least squares with an intercept column, solved by EJML's QR. */
  static double[] leastSquares(List<Sample> data) {
    DMatrixRMaj a = new DMatrixRMaj(data.size(), D + 1);
    DMatrixRMaj b = new DMatrixRMaj(data.size(), 1);
    for (int i = 0; i < data.size(); i++) {
      for (int j = 0; j < D; j++) {
        a.set(i, j, data.get(i).features().valueAt(j));
      }
      a.set(i, D, 1.0);
      b.set(i, 0, data.get(i).label());
    }
    LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(data.size(), D + 1);
    assertThat(qr.setA(a)).isTrue();
    DMatrixRMaj x = new DMatrixRMaj(D + 1, 1);
    qr.solve(b, x);
    return x.data;
  }

  static void assertAt(LearnerState state, double[] optimum, double tolerance) {
    for (int j = 0; j < D; j++) {
      assertThat(state.model().weights()[j])
          .as("weight %d", j)
          .isCloseTo(optimum[j], within(tolerance));
    }
    assertThat(state.model().intercepts()[0])
        .as("intercept")
        .isCloseTo(optimum[D], within(tolerance));
  }

  @ParameterizedTest(name = "{0} lr={1} {2}")
  @CsvSource({
    "SGD,      0.1,  CONSTANT",
    "MOMENTUM, 0.02, CONSTANT",
    "NESTEROV, 0.02, CONSTANT",
    "ADAGRAD,  0.5,  CONSTANT",
    "RMSPROP,  0.01, EXPONENTIAL_DECAY",
    "ADAM,     0.05, EXPONENTIAL_DECAY",
    "FTRL,     1.0,  CONSTANT"
  })
  void everyOptimizerReachesTheLeastSquaresSolution(
      OptimizerKind kind, double lr, LearningRateSchedule schedule) {
    List<Sample> data = regressionData();
    double[] optimum = leastSquares(data);
    ModelSpec spec = ModelSpecs.withOptimizer(ModelSpecs.linearRegression("m", D, lr, N), kind, lr);
    spec.getOptimizer().setSchedule(schedule);
    spec.getOptimizer().setDecayRate(0.5);
    spec.getOptimizer().setDecaySteps(300);
    LearnerState state = LearnerState.initial(spec);
    for (int epoch = 0; epoch < 4000; epoch++) {
      MinibatchUpdate.apply(state, data); // full batch: the exact objective
    }
    assertAt(state, optimum, 1e-3);
  }

  @Test
  void logisticRegressionReachesTheNewtonOptimum() {
    // Reference: Newton's method on the L2-regularized mean log loss (second order, exact to
    // 1e-12).
    Random rnd = new Random(5);
    List<Sample> data = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double p = LogisticLoss.sigmoid(0.5 + 2 * x[0] - x[1] + 0.3 * x[2]);
      data.add(dense(rnd.nextDouble() < p ? 1 : 0, x));
    }
    double l2 = 0.01;
    double[] newton = newtonLogistic(data, l2);

    ModelSpec spec =
        ModelSpecs.withRegularization(ModelSpecs.logisticRegression("m", D, 2.0, N), 0, l2);
    LearnerState state = LearnerState.initial(spec);
    for (int step = 0; step < 5000; step++) {
      MinibatchUpdate.apply(state, data);
    }
    assertAt(state, newton, 1e-3);
  }

  /** Newton iterations for min mean log loss + 0.5 l2 ||w||^2 (intercept not penalised). */
  static double[] newtonLogistic(List<Sample> data, double l2) {
    int p = D + 1;
    double[] theta = new double[p];
    for (int it = 0; it < 50; it++) {
      DMatrixRMaj h = new DMatrixRMaj(p, p);
      DMatrixRMaj g = new DMatrixRMaj(p, 1);
      for (Sample s : data) {
        double[] x = {
          s.features().valueAt(0), s.features().valueAt(1), s.features().valueAt(2), 1.0
        };
        double z = 0;
        for (int j = 0; j < p; j++) {
          z += theta[j] * x[j];
        }
        double mu = LogisticLoss.sigmoid(z);
        for (int a = 0; a < p; a++) {
          g.add(a, 0, (mu - s.label()) * x[a] / data.size());
          for (int b = 0; b < p; b++) {
            h.add(a, b, mu * (1 - mu) * x[a] * x[b] / data.size());
          }
        }
      }
      for (int j = 0; j < D; j++) {
        g.add(j, 0, l2 * theta[j]);
        h.add(j, j, l2);
      }
      DMatrixRMaj delta = new DMatrixRMaj(p, 1);
      CommonOps_DDRM.solve(h, g, delta);
      for (int j = 0; j < p; j++) {
        theta[j] -= delta.get(j, 0);
      }
    }
    return theta;
  }

  @Test
  void ftrlWithL1SetsNoiseFeaturesToExactlyZero() {
    // y depends on features 0 and 1 only; 2..9 are noise.
    Random rnd = new Random(8);
    int d = 10;
    ModelSpec spec =
        ModelSpecs.withRegularization(
            ModelSpecs.withOptimizer(
                ModelSpecs.logisticRegression("m", d, 0.1, 32), OptimizerKind.FTRL, 0.1),
            5.0,
            0.1);
    LearnerState state = LearnerState.initial(spec);
    for (int step = 0; step < 500; step++) {
      List<Sample> batch = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
          x[j] = rnd.nextGaussian();
        }
        batch.add(dense(rnd.nextDouble() < LogisticLoss.sigmoid(3 * x[0] - 3 * x[1]) ? 1 : 0, x));
      }
      MinibatchUpdate.apply(state, batch);
    }
    double[] w = state.model().weights();
    assertThat(w[0]).isGreaterThan(0.5);
    assertThat(w[1]).isLessThan(-0.5);
    for (int j = 2; j < d; j++) {
      assertThat(w[j]).as("noise weight %d", j).isEqualTo(0.0);
    }
  }

  @ParameterizedTest(name = "l1={0} l2={1}")
  @CsvSource({"0, 0.3", "0.05, 0"})
  void lazySparseRegularizationEqualsEagerDense(double l1, double l2) {
    // Samples touch 1 or 2 of 6 coordinates; the dense run regularizes every coordinate every step.
    Random rnd = new Random(2);
    int d = 6;
    ModelSpec spec =
        ModelSpecs.withRegularization(ModelSpecs.linearRegression("m", d, 0.05, 4), l1, l2);
    LearnerState viaDense = LearnerState.initial(spec);
    LearnerState viaSparse = LearnerState.initial(spec);
    for (int step = 0; step < 300; step++) {
      List<Sample> dense = new ArrayList<>();
      List<Sample> sparse = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int a = rnd.nextInt(d);
        double v = rnd.nextGaussian();
        double[] x = new double[d];
        x[a] = v;
        double y = 2 * v * (a % 2 == 0 ? 1 : -1) + 0.1 * rnd.nextGaussian();
        dense.add(dense(y, x));
        sparse.add(
            new Sample(
                "m",
                FeatureVector.sparse(new int[] {a}, new double[] {v}),
                y,
                1,
                0,
                Sample.Origin.UNKNOWN));
      }
      MinibatchUpdate.apply(viaDense, dense);
      MinibatchUpdate.apply(viaSparse, sparse);
    }
    // bring every coordinate of the sparse model up to date with one batch touching all of them
    List<Sample> all = new ArrayList<>();
    double[] ones = new double[d];
    java.util.Arrays.fill(ones, 1e-9);
    int[] idx = {0, 1, 2, 3, 4, 5};
    all.add(dense(0, ones));
    MinibatchUpdate.apply(viaDense, all);
    MinibatchUpdate.apply(
        viaSparse,
        List.of(new Sample("m", FeatureVector.sparse(idx, ones), 0, 1, 0, Sample.Origin.UNKNOWN)));
    for (int j = 0; j < d; j++) {
      assertThat(viaSparse.model().weights()[j])
          .as("weight %d", j)
          .isCloseTo(viaDense.model().weights()[j], within(1e-12));
    }
    assertThat(viaSparse.model().intercepts()[0])
        .isCloseTo(viaDense.model().intercepts()[0], within(1e-12));
  }

  @Test
  void softmaxRegressionSeparatesThreeClasses() {
    Random rnd = new Random(4);
    double[][] centers = {{2, 0}, {-1, 2}, {-1, -2}};
    ModelSpec spec = ModelSpecs.softmaxRegression("m", 2, 3, 0.5, 30);
    LearnerState state = LearnerState.initial(spec);
    for (int step = 0; step < 300; step++) {
      List<Sample> batch = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int c = rnd.nextInt(3);
        batch.add(
            dense(
                c,
                centers[c][0] + 0.5 * rnd.nextGaussian(),
                centers[c][1] + 0.5 * rnd.nextGaussian()));
      }
      MinibatchUpdate.apply(state, batch);
    }
    assertThat(state.model().outputs()).isEqualTo(3);
    assertThat(state.metrics().fadedAccuracy()).isGreaterThan(0.97);
    var p =
        new io.streamsgd.core.model.Predictor(spec, state.model())
            .predict(FeatureVector.dense(new double[] {-1, 2}));
    assertThat(p.predictedClass()).isEqualTo(1);
    assertThat(java.util.Arrays.stream(p.probabilities()).sum()).isCloseTo(1.0, within(1e-12));
  }
}
