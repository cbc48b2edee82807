package io.streamsgd.bench.pipeline;

import io.streamsgd.bench.kernel.LogisticData;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
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
 * LogisticData}) or sparse hashed ({@code nonZeros} indices of value 1 among {@code dimension}
 * buckets, labelled by a hidden sparse logistic model).
 */
record Workload(String name, int models, int dimension, int nonZeros, long records) {
  static final long SEED = 7;

  static Workload dense(int models, int dimension, long records) {
    return new Workload("dense-d" + dimension + "-m" + models, models, dimension, 0, records);
  }

  static Workload sparse(int models, int buckets, int nonZeros, long records) {
    return new Workload(
        "sparse-b" + Integer.numberOfTrailingZeros(buckets) + "-nnz" + nonZeros + "-m" + models,
        models,
        buckets,
        nonZeros,
        records);
  }

  boolean sparse() {
    return nonZeros > 0;
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
    private final Random rnd = new Random(SEED);
    private final double[] hidden;
    private final double[] x;
    private long i;

    Samples() {
      dense = sparse() ? null : new LogisticData.Generator(dimension, SEED);
      x = new double[dimension == 0 ? 0 : (sparse() ? 0 : dimension)];
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
      if (!sparse()) {
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
