package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.spec.SpecShape;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sparse storage keeps only touched columns and trains to the same bits as dense storage of the
 * full dimension, for every optimizer, with lazy L1/L2, softmax, an adaptive batch test and the
 * divergence guard.
 */
class SparseStorageTest {
  static final int DIMENSION = 1 << 17;

  static Stream<Arguments> specs() {
    List<Arguments> out = new ArrayList<>();
    for (OptimizerKind kind : OptimizerKind.values()) {
      ModelSpec spec =
          ModelSpecs.withOptimizer(
              ModelSpecs.logisticRegression("m", DIMENSION, 0.2, 8), kind, 0.2);
      out.add(Arguments.of(kind + " plain", spec));
      out.add(
          Arguments.of(kind + " L1+L2", ModelSpecs.withRegularization(copy(spec), 0.001, 0.01)));
    }
    ModelSpec softmax =
        ModelSpecs.withRegularization(
            ModelSpecs.softmaxRegression("m", DIMENSION, 3, 0.1, 5), 0, 0.01);
    out.add(Arguments.of("softmax L2", softmax));
    ModelSpec norm = ModelSpecs.logisticRegression("m", DIMENSION, 0.5, 4);
    norm.getBatch().setKind(BatchPolicyKind.NORM_TEST);
    norm.getBatch().setMinSize(2);
    norm.getBatch().setMaxSize(64);
    norm.getBatch().setMaxLatencyMs(0);
    out.add(Arguments.of("norm test", norm));
    ModelSpec guarded = ModelSpecs.logisticRegression("m", DIMENSION, 50.0, 4);
    guarded.getDivergenceGuard().setLossFactor(1.5);
    out.add(Arguments.of("divergence guard", guarded));
    return out.stream();
  }

  static ModelSpec copy(ModelSpec spec) {
    return ModelSpec.newBuilder(spec).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void sparseStorageTrainsToTheBitsOfDenseStorage(String name, ModelSpec spec) {
    CompiledSpec compiled = CompiledSpec.of(spec);
    LearnerState dense = LearnerState.initial(spec, compiled, false);
    LearnerState sparse = LearnerState.initial(spec, compiled, true);
    assertThat(sparse.isSparse()).isTrue();
    List<Sample> stream = stream(spec.getTask() == io.streamsgd.schema.Task.MULTICLASS, 1500);
    int batchSize = spec.getBatch().getSize();
    for (int from = 0; from < stream.size(); from += batchSize) {
      List<Sample> batch = stream.subList(from, Math.min(stream.size(), from + batchSize));
      BatchResult a = MinibatchUpdate.apply(dense, batch);
      BatchResult b = MinibatchUpdate.apply(sparse, batch);
      assertThat(b).as("batch at %d", from).isEqualTo(a);
      assertThat(sparse.version()).isEqualTo(dense.version());
      assertThat(sparse.nextBatchTarget()).isEqualTo(dense.nextBatchTarget());
      assertThat(sparse.metrics()).isEqualTo(dense.metrics());
      assertThat(sparse.divergence()).isEqualTo(dense.divergence());
      if (spec.getBatch().getKind() == BatchPolicyKind.NORM_TEST) {
        // What the norm test reads (dense storage keeps the batch as running sums, which estimate
        // only the inner-product test's variances differently)
        var sa = MinibatchUpdate.statistics(sparse, batch);
        var sb = MinibatchUpdate.statistics(dense, batch);
        assertThat(List.of(sa.n(), sa.meanNormSquared(), sa.traceVariance()))
            .isEqualTo(List.of(sb.n(), sb.meanNormSquared(), sb.traceVariance()));
      }
    }
    assertSameParameters(sparse.model(), dense.model());
    assertThat(sparse.sparseParameters().size()).isLessThan(2_000);
    assertThat(sparse.storedValues()).isLessThan(dense.storedValues() / 20);
  }

  /** Every weight the same bits; the sparse form lists exactly the non-zero columns. */
  static void assertSameParameters(LinearModel sparse, LinearModel dense) {
    assertThat(sparse.isSparse()).isTrue();
    assertThat(sparse.intercepts()).isEqualTo(dense.intercepts());
    int k = dense.outputs();
    int[] cols = sparse.columns();
    int c = 0;
    for (int i = 0; i < DIMENSION; i++) {
      boolean listed = c < cols.length && cols[c] == i;
      boolean nonZero = false;
      for (int j = 0; j < k; j++) {
        double d = dense.weight(j, i);
        nonZero |= d != 0.0;
        assertThat(Double.doubleToLongBits(sparse.weight(j, i) + 0.0))
            .as("weight %d of output %d", i, j)
            .isEqualTo(Double.doubleToLongBits(d + 0.0));
      }
      assertThat(listed).as("column %d listed", i).isEqualTo(nonZero);
      if (listed) {
        c++;
      }
    }
  }

  /**
   * Hashed-looking samples: 1-12 features from 600 columns spread over the dimension (so columns
   * repeat across a batch), now and then a sample without features.
   */
  static List<Sample> stream(boolean multiclass, int n) {
    Random rnd = new Random(7);
    int[] pool = new int[600];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = rnd.nextInt(DIMENSION);
    }
    double[] truth = new double[DIMENSION];
    for (int p : pool) {
      truth[p] = rnd.nextGaussian();
    }
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int m = i % 97 == 0 ? 0 : 1 + rnd.nextInt(12);
      int[] idx = new int[m];
      for (int e = 0; e < m; e++) {
        idx[e] = pool[rnd.nextInt(pool.length)];
      }
      idx = Arrays.stream(idx).distinct().sorted().toArray();
      double[] val = new double[idx.length];
      double z = 0;
      for (int e = 0; e < idx.length; e++) {
        val[e] = rnd.nextBoolean() ? 1.0 : rnd.nextGaussian();
        z += truth[idx[e]] * val[e];
      }
      double label =
          multiclass
              ? (z > 0.5 ? 2 : z > -0.5 ? 1 : 0)
              : (rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
      out.add(
          new Sample(
              "m", FeatureVector.sparse(idx, val), label, 1.0, 1000L + i, Sample.Origin.UNKNOWN));
    }
    return out;
  }

  @Test
  void shapesAboveTheDenseLimitAreStoredSparse() {
    assertThat(new SpecShape(io.streamsgd.schema.Task.BINARY, 1, 1 << 16).sparseStorage())
        .isFalse();
    assertThat(new SpecShape(io.streamsgd.schema.Task.BINARY, 1, (1 << 16) + 1).sparseStorage())
        .isTrue();
    assertThat(new SpecShape(io.streamsgd.schema.Task.MULTICLASS, 4, 1 << 15).sparseStorage())
        .isTrue();
    assertThat(LearnerState.initial(ModelSpecs.logisticRegression("m", 1 << 18, 0.1, 1)).isSparse())
        .isTrue();
    assertThat(LearnerState.initial(ModelSpecs.logisticRegression("m", 1 << 10, 0.1, 1)).isSparse())
        .isFalse();
  }

  @Test
  void aCopyIsIndependentAndEqual() {
    ModelSpec spec = ModelSpecs.logisticRegression("m", DIMENSION, 0.2, 8);
    LearnerState s = LearnerState.initial(spec);
    List<Sample> stream = stream(false, 64);
    MinibatchUpdate.apply(s, stream.subList(0, 32));
    LearnerState copy = s.copy();
    assertThat(copy).isEqualTo(s);
    MinibatchUpdate.apply(s, stream.subList(32, 64));
    assertThat(copy).isNotEqualTo(s);
    assertThat(copy.version()).isEqualTo(1);
  }

  @Test
  void aWarmStartFromAPublishedSparseVersionTrainsOnToTheSameParameters() {
    ModelSpec spec = ModelSpecs.logisticRegression("m", DIMENSION, 0.2, 8); // plain SGD: no slots
    LearnerState trained = LearnerState.initial(spec);
    List<Sample> stream = stream(false, 400);
    for (int i = 0; i < 200; i += 8) {
      MinibatchUpdate.apply(trained, stream.subList(i, i + 8));
    }
    io.streamsgd.schema.ModelUpdate published =
        io.streamsgd.core.avro.ModelUpdates.snapshot(
            trained,
            new BatchResult(8, 8, 1, 0, 0, true),
            io.streamsgd.schema.BatchCloseReason.SIZE,
            null,
            0L);
    assertThat(published.getParameters().getColumns()).isNotEmpty();
    LearnerState resumed = LearnerState.fromUpdate(published);
    assertThat(resumed.isSparse()).isTrue();
    assertThat(resumed.model()).isEqualTo(trained.model());
    for (int i = 200; i < 400; i += 8) {
      MinibatchUpdate.apply(trained, stream.subList(i, i + 8));
      MinibatchUpdate.apply(resumed, stream.subList(i, i + 8));
    }
    assertThat(resumed.model()).isEqualTo(trained.model());
    assertThat(resumed.version()).isEqualTo(trained.version());
  }
}
