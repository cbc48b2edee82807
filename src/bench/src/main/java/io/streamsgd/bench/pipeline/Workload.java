package io.streamsgd.bench.pipeline;

import io.streamsgd.bench.kernel.HashedExamples;
import io.streamsgd.bench.kernel.LogisticData;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.OptimizerKind;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One benchmark input: {@code records} logistic-regression samples spread round-robin over {@code
 * models} model ids, either dense ({@code dimension} standard-normal features, the stream of {@link
 * LogisticData}), sparse ({@code nonZeros} indices of value 1 among {@code dimension} buckets,
 * labelled by a hidden sparse logistic model), or hashed (named features, the stream of {@link
 * HashedExamples}, for a model of {@code dimension} = 2^hashBits weights).
 */
record Workload(
    String name, Features features, int models, int dimension, int nonZeros, long records) {
  static final long SEED = 7;

  /** How a workload's samples carry their features. */
  enum Features {
    DENSE,
    SPARSE,
    HASHED
  }

  static Workload dense(int models, int dimension, long records) {
    return new Workload(
        "dense-d" + dimension + "-m" + models, Features.DENSE, models, dimension, 0, records);
  }

  static Workload sparse(int models, int buckets, int nonZeros, long records) {
    return new Workload(
        "sparse-b" + Integer.numberOfTrailingZeros(buckets) + "-nnz" + nonZeros + "-m" + models,
        Features.SPARSE,
        models,
        buckets,
        nonZeros,
        records);
  }

  static Workload hashed(int models, int hashBits, long records) {
    return new Workload(
        "hashed-b" + hashBits + "-nnz" + HashedExamples.FEATURES + "-m" + models,
        Features.HASHED,
        models,
        1 << hashBits,
        HashedExamples.FEATURES,
        records);
  }

  boolean sparse() {
    return features == Features.SPARSE;
  }

  String topic() {
    return "bench-" + name;
  }

  static String modelId(long i, int models) {
    return "m" + (i % models);
  }

  /**
   * The spec every model trains under (the job's default spec): AdaGrad, learning rate 0.07, fixed
   * batches of {@code batchSize}, as the kernel benchmark runs it.
   */
  ModelSpec spec(int batchSize) {
    ModelSpec spec = ModelSpecs.logisticRegression("default", dimension, 0.07, batchSize);
    return ModelSpecs.withFixedBatches(
        ModelSpecs.withOptimizer(spec, OptimizerKind.ADAGRAD, 0.07), batchSize);
  }

  /** The samples in order, produced lazily. */
  final class Samples {
    private final LogisticData.Generator dense;
    private final HashedExamples hashed;
    private final Random rnd = new Random(SEED);
    private final double[] hidden;
    private final double[] x;
    private long i;

    Samples() {
      dense = features == Features.DENSE ? new LogisticData.Generator(dimension, SEED) : null;
      hashed = features == Features.HASHED ? new HashedExamples(SEED) : null;
      x = new double[features == Features.DENSE ? dimension : 0];
      hidden = sparse() ? hiddenWeights() : null;
    }

    private double[] hiddenWeights() {
      double[] w = new double[dimension];
      for (int j = 0; j < w.length; j++) {
        w[j] = rnd.nextGaussian() / Math.sqrt(nonZeros);
      }
      return w;
    }

    TrainingSample next(long eventTime) {
      String id = modelId(i++, models);
      TrainingSample.Builder b =
          TrainingSample.newBuilder().setModelId(id).setEventTime(Instant.ofEpochMilli(eventTime));
      if (features == Features.HASHED) {
        HashedExamples.Example e = hashed.next();
        List<String> names = new ArrayList<>(e.ranks().length);
        List<Double> ones = new ArrayList<>(e.ranks().length);
        for (int rank : e.ranks()) {
          names.add(HashedExamples.name(rank));
          ones.add(1.0);
        }
        return b.setFeatures(new NamedFeatures(names, ones)).setLabel(e.label()).build();
      }
      if (features == Features.DENSE) {
        double y = dense.next(x);
        List<Double> values = new ArrayList<>(x.length);
        for (double v : x) {
          values.add(v);
        }
        return b.setFeatures(new DenseFeatures(values)).setLabel(y).build();
      }
      int[] idx = new int[nonZeros];
      for (int k = 0; k < nonZeros; k++) {
        idx[k] = rnd.nextInt(dimension);
      }
      idx = Arrays.stream(idx).sorted().distinct().toArray();
      double z = 0.25;
      List<Integer> indices = new ArrayList<>(idx.length);
      List<Double> values = new ArrayList<>(idx.length);
      for (int k : idx) {
        z += hidden[k];
        indices.add(k);
        values.add(1.0);
      }
      double y = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      return b.setFeatures(new SparseFeatures(indices, values)).setLabel(y).build();
    }
  }
}
