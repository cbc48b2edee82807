package io.streamsgd.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.TimeDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {
  static final AdaptiveBounds BOUNDS = new AdaptiveBounds(8, 4, 50, 0, TimeDomain.PROCESSING_TIME);

  static Sample sample(double y, double... x) {
    return new Sample("m", FeatureVector.dense(x), y, 1, 0, Sample.Origin.UNKNOWN);
  }

  /**
   * Squared loss at w = 0, b = 0 on (x=1, y=1) and (x=2, y=-1): residuals -1 and 1, so the
   * per-sample gradients (weight, intercept) are G1 = (-1, -1) and G2 = (2, 1); mean (0.5, 0).
   */
  static GradientStatistics tinyStatistics() {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 1, 0.1, 2));
    return MinibatchUpdate.exactStatistics(state, List.of(sample(1, 1), sample(-1, 2)));
  }

  @Test
  void gradientStatisticsByHand() {
    GradientStatistics s = tinyStatistics();
    assertThat(s.n()).isEqualTo(2);
    assertThat(s.meanNormSquared()).isCloseTo(0.25, within(1e-15));
    // sum ||G_i||^2 = 2 + 5 = 7; trace variance = (7 - 2 * 0.25) / 1
    assertThat(s.traceVariance()).isCloseTo(6.5, within(1e-15));
    // G_i . gbar = -0.5 and 1.0 (mean 0.25): variance 0.75^2 + 0.75^2
    assertThat(s.innerProductVariance()).isCloseTo(1.125, within(1e-15));
    // ||G_i||^2 - (G_i . gbar)^2 / ||gbar||^2 = 2 - 1 and 5 - 4
    assertThat(s.orthogonalVariance()).isCloseTo(2.0, within(1e-15));
  }

  @Test
  void normTestByHand() {
    NormTestPolicy policy = new NormTestPolicy(BOUNDS, 0.5);
    BatchPolicy.TestOutcome outcome = policy.test(tinyStatistics());
    // ||Var||_1 / n = 3.25 > theta^2 ||g||^2 = 0.0625: fails; needs 6.5 / 0.0625 = 104 samples
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.requiredSize()).isCloseTo(104.0, within(1e-12));
    assertThat(policy.nextTarget(8, tinyStatistics(), 1)).isEqualTo(50); // clamped to maxSize
    assertThat(new NormTestPolicy(BOUNDS, 20.0).test(tinyStatistics()).passed())
        .isTrue(); // 3.25 <= 400 * 0.25
    assertThat(new NormTestPolicy(BOUNDS, 20.0).nextTarget(8, tinyStatistics(), 1))
        .isEqualTo(4); // 6.5 / 100 -> minSize
  }

  @Test
  void innerProductAndOrthogonalityTestsByHand() {
    BatchPolicy.TestOutcome ip =
        new InnerProductTestPolicy(BOUNDS, 0.5, null).test(tinyStatistics());
    // Var(G_i . g) / n = 0.5625 > theta^2 ||g||^4 = 0.015625: needs 1.125 / 0.015625 = 72
    assertThat(ip.passed()).isFalse();
    assertThat(ip.requiredSize()).isCloseTo(72.0, within(1e-12));
    // with theta = 6 the inner-product test passes (0.5625 <= 0.5625) but nu = 1 orthogonality
    // fails: 1 > 0.25
    BatchPolicy.TestOutcome both =
        new InnerProductTestPolicy(BOUNDS, 6.0, 1.0).test(tinyStatistics());
    assertThat(both.passed()).isFalse();
    assertThat(both.requiredSize()).isCloseTo(8.0, within(1e-12)); // max(1.125/(36*0.0625), 2/0.25)
    assertThat(new InnerProductTestPolicy(BOUNDS, 6.0, null).test(tinyStatistics()).passed())
        .isTrue();
  }

  @Test
  void oneSampleNeverPassesAndIdenticalSamplesAlwaysDo() {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 1, 0.1, 2));
    NormTestPolicy policy = new NormTestPolicy(BOUNDS, 0.1);
    assertThat(policy.test(MinibatchUpdate.statistics(state, List.of(sample(1, 1)))).passed())
        .isFalse();
    assertThat(
            policy
                .test(
                    MinibatchUpdate.statistics(
                        state, List.of(sample(1, 1), sample(1, 1), sample(1, 1))))
                .passed())
        .isTrue();
  }

  @Test
  void statisticsAgreeWithExplicitPerSampleGradients() {
    // logistic loss, 3 dense features, random parameters: compare with a brute-force computation
    Random rnd = new Random(9);
    LearnerState state = LearnerState.initial(ModelSpecs.logisticRegression("m", 3, 0.1, 2));
    for (int j = 0; j < 3; j++) {
      state.model().weights()[j] = rnd.nextGaussian();
    }
    state.model().intercepts()[0] = 0.3;
    List<Sample> batch = new ArrayList<>();
    List<double[]> grads = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double y = rnd.nextBoolean() ? 1 : 0;
      batch.add(sample(y, x));
      double z = 0.3;
      for (int j = 0; j < 3; j++) {
        z += state.model().weights()[j] * x[j];
      }
      double r = 1 / (1 + Math.exp(-z)) - y;
      grads.add(new double[] {r * x[0], r * x[1], r * x[2], r});
    }
    double[] mean = new double[4];
    for (double[] g : grads) {
      for (int c = 0; c < 4; c++) {
        mean[c] += g[c] / 7;
      }
    }
    double norm2 = 0;
    for (double m : mean) {
      norm2 += m * m;
    }
    double trace = 0;
    double ip = 0;
    for (double[] g : grads) {
      double dot = 0;
      for (int c = 0; c < 4; c++) {
        trace += (g[c] - mean[c]) * (g[c] - mean[c]);
        dot += g[c] * mean[c];
      }
      ip += (dot - norm2) * (dot - norm2);
    }
    GradientStatistics s = MinibatchUpdate.exactStatistics(state, batch);
    assertThat(s.meanNormSquared()).isCloseTo(norm2, within(1e-14));
    assertThat(s.traceVariance()).isCloseTo(trace / 6, within(1e-12));
    assertThat(s.innerProductVariance()).isCloseTo(ip / 6, within(1e-12));
    // sparse vectors give the same statistics
    List<Sample> sparse = new ArrayList<>();
    for (Sample b : batch) {
      sparse.add(b.withFeatures(FeatureVector.sparse(new int[] {0, 1, 2}, b.features().values())));
    }
    GradientStatistics t = MinibatchUpdate.exactStatistics(state, sparse);
    assertThat(t.traceVariance()).isCloseTo(s.traceVariance(), within(1e-12));
    assertThat(t.innerProductVariance()).isCloseTo(s.innerProductVariance(), within(1e-12));

    // Running sums: the norm and trace exactly; without a reference direction the inner-product
    // and orthogonal variances are their bounds ||g||^2 tr(Var) and tr(Var) (never smaller).
    GradientStatistics sums = MinibatchUpdate.statistics(state, batch);
    assertThat(sums.meanNormSquared()).isCloseTo(norm2, within(1e-14));
    assertThat(sums.traceVariance()).isCloseTo(trace / 6, within(1e-12));
    assertThat(sums.innerProductVariance()).isCloseTo(norm2 * trace / 6, within(1e-12));
    assertThat(sums.innerProductVariance()).isGreaterThanOrEqualTo(s.innerProductVariance());
    assertThat(sums.orthogonalVariance()).isGreaterThanOrEqualTo(s.orthogonalVariance());
    assertThat(MinibatchUpdate.statistics(state, sparse).traceVariance())
        .isCloseTo(trace / 6, within(1e-12));
  }

  /**
   * Under the inner-product test, running sums estimate a_i = G_i . gbar as G_i . G_i / n (its own
   * share of the mean, exact) plus (n-1)/n (gbar_-i . u)(G_i . u) for the reference direction u:
   * the mean of the other samples' gradients along u only. Checked against that definition by brute
   * force, and against the exact statistics when all gradients lie along u.
   */
  @Test
  void innerProductVarianceFromAReferenceDirectionMatchesItsDefinition() {
    ModelSpec plain = ModelSpecs.logisticRegression("m", 3, 0.1, 2);
    ModelSpec spec =
        ModelSpec.newBuilder(plain)
            .setBatch(
                BatchPolicySpec.newBuilder(plain.getBatch())
                    .setKind(BatchPolicyKind.INNER_PRODUCT_TEST)
                    .setSize(4)
                    .setMinSize(2)
                    .setMaxSize(64)
                    .setTheta(0.9)
                    .setNu(5.0)
                    .build())
            .build();
    LearnerState state = LearnerState.initial(spec);
    Random rnd = new Random(3);
    for (int j = 0; j < 3; j++) {
      state.model().weights()[j] = rnd.nextGaussian();
    }
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      batch.add(
          sample(
              rnd.nextBoolean() ? 1 : 0,
              rnd.nextGaussian(),
              rnd.nextGaussian(),
              rnd.nextGaussian()));
    }
    assertThat(state.direction()).isNull();
    GradientStatistics noReference = MinibatchUpdate.statistics(state, batch);
    double[] u = {0.3, -1.2, 0.5, 2.0}; // any direction: only its direction counts
    state.setDirection(u.clone());
    GradientStatistics sums = MinibatchUpdate.statistics(state, batch);

    int n = batch.size();
    double[][] g = perSampleGradients(state, batch);
    double[] total = new double[4];
    for (double[] gi : g) {
      for (int c = 0; c < 4; c++) {
        total[c] += gi[c];
      }
    }
    double unorm = Math.sqrt(dot(u, u));
    double norm2 = dot(total, total) / ((double) n * n);
    double[] a = new double[n];
    double sumA = 0;
    double sumA2 = 0;
    double sumG2 = 0;
    for (int i = 0; i < n; i++) {
      double[] others = new double[4];
      for (int c = 0; c < 4; c++) {
        others[c] = (total[c] - g[i][c]) / (n - 1);
      }
      a[i] =
          dot(g[i], g[i]) / n + (n - 1.0) / n * (dot(others, u) / unorm) * (dot(g[i], u) / unorm);
      sumA += a[i];
      sumA2 += a[i] * a[i];
      sumG2 += dot(g[i], g[i]);
    }
    double variance = 0;
    for (double ai : a) {
      variance += (ai - sumA / n) * (ai - sumA / n);
    }
    assertThat(sums.meanNormSquared()).isCloseTo(norm2, within(1e-14));
    assertThat(sums.innerProductVariance()).isCloseTo(variance / (n - 1), within(1e-12));
    assertThat(sums.orthogonalVariance())
        .isCloseTo((sumG2 - sumA2 / norm2) / (n - 1), within(1e-12));
    assertThat(sums.innerProductVariance()).isLessThan(noReference.innerProductVariance());

    // A one-feature model whose gradients (x, 1) all lie along u = (1, 1): the estimate is exact.
    LearnerState line =
        LearnerState.initial(ModelSpec.newBuilder(spec).setFeatureDimension(1).build());
    line.setDirection(new double[] {1, 1});
    List<Sample> ones = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ones.add(sample(i % 2, 1.0));
    }
    GradientStatistics exact = MinibatchUpdate.exactStatistics(line, ones);
    GradientStatistics estimated = MinibatchUpdate.statistics(line, ones);
    assertThat(estimated.innerProductVariance())
        .isCloseTo(exact.innerProductVariance(), within(1e-12));
    assertThat(estimated.orthogonalVariance()).isCloseTo(exact.orthogonalVariance(), within(1e-12));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Per-sample logistic-loss gradients (weights, then the intercept) of a one-output model. */
  private static double[][] perSampleGradients(LearnerState state, List<Sample> batch) {
    int d = state.model().dimension();
    double[][] out = new double[batch.size()][d + 1];
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      double z = s.features().dot(state.model().weights(), 0) + state.model().intercepts()[0];
      double r = 1 / (1 + Math.exp(-z)) - s.label();
      for (int c = 0; c < d; c++) {
        out[i][c] = r * s.features().values()[c];
      }
      out[i][d] = r;
    }
    return out;
  }

  @Test
  void increasingScheduleGrowsWhereTheLearningRateWouldDecay() {
    IncreasingBatchPolicy policy =
        new IncreasingBatchPolicy(
            new AdaptiveBounds(16, 1, 100, 0, TimeDomain.PROCESSING_TIME), 2.0, 10);
    assertThat(policy.nextTarget(16, null, 9)).isEqualTo(16);
    assertThat(policy.nextTarget(16, null, 10)).isEqualTo(32);
    assertThat(policy.nextTarget(32, null, 25)).isEqualTo(64);
    assertThat(policy.nextTarget(64, null, 30)).isEqualTo(100); // 128 clamped
  }

  @Test
  void theTrainerCoreStoresTheNextTarget() {
    var spec = ModelSpecs.linearRegression("m", 1, 0.1, 2);
    spec.getBatch().setKind(io.streamsgd.schema.BatchPolicyKind.NORM_TEST);
    spec.getBatch().setTheta(0.5);
    spec.getBatch().setMinSize(4);
    spec.getBatch().setMaxSize(50);
    LearnerState state = LearnerState.initial(spec);
    assertThat(state.nextBatchTarget()).isEqualTo(4); // size 2 clamped to minSize
    MinibatchUpdate.apply(state, List.of(sample(1, 1), sample(-1, 2)));
    assertThat(state.batchTarget()).isEqualTo(50); // 104, clamped
  }
}
