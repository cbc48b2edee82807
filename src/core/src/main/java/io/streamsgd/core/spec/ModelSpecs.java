package io.streamsgd.core.spec;

import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerKind;
import io.streamsgd.schema.OptimizerSpec;
import io.streamsgd.schema.RegularizationSpec;
import io.streamsgd.schema.Task;

/**
 * Short ways to write common specs in code; every result is validated. For anything else use {@code
 * ModelSpec.newBuilder(ModelSpecs.of(...))} or the Avro JSON form.
 */
public final class ModelSpecs {
  /** Latency bound used by the short forms: a batch never waits longer than this. */
  public static final long DEFAULT_MAX_LATENCY_MS = 1000;

  private ModelSpecs() {}

  /**
   * Least squares on {@code dimension} dense or sparse features, plain SGD, size-or-latency
   * batches.
   */
  public static ModelSpec linearRegression(
      String modelId, int dimension, double learningRate, int batchSize) {
    return of(
        modelId,
        Task.REGRESSION,
        Loss.SQUARED,
        dimension,
        learningRate,
        0.0,
        batchSize,
        DEFAULT_MAX_LATENCY_MS);
  }

  /** Logistic regression (labels 0/1), plain SGD, size-or-latency batches. */
  public static ModelSpec logisticRegression(
      String modelId, int dimension, double learningRate, int batchSize) {
    return of(
        modelId,
        Task.BINARY,
        Loss.LOGISTIC,
        dimension,
        learningRate,
        0.0,
        batchSize,
        DEFAULT_MAX_LATENCY_MS);
  }

  /** Softmax regression over {@code classes} classes (labels 0..classes-1), plain SGD. */
  public static ModelSpec softmaxRegression(
      String modelId, int dimension, int classes, double learningRate, int batchSize) {
    return SpecValidator.requireValid(
        ModelSpec.newBuilder(
                of(
                    modelId,
                    Task.MULTICLASS,
                    Loss.SOFTMAX,
                    dimension,
                    learningRate,
                    0.0,
                    batchSize,
                    DEFAULT_MAX_LATENCY_MS,
                    classes))
            .build());
  }

  public static ModelSpec of(
      String modelId,
      Task task,
      Loss loss,
      int dimension,
      double learningRate,
      double l2,
      int batchSize,
      long maxLatencyMs) {
    return of(modelId, task, loss, dimension, learningRate, l2, batchSize, maxLatencyMs, 2);
  }

  private static ModelSpec of(
      String modelId,
      Task task,
      Loss loss,
      int dimension,
      double learningRate,
      double l2,
      int batchSize,
      long maxLatencyMs,
      int classes) {
    ModelSpec spec =
        ModelSpec.newBuilder()
            .setModelId(modelId)
            .setTask(task)
            .setNumClasses(classes)
            .setLoss(loss)
            .setFeatureDimension(dimension)
            .setOptimizer(
                OptimizerSpec.newBuilder()
                    .setKind(OptimizerKind.SGD)
                    .setLearningRate(learningRate)
                    .build())
            .setRegularization(RegularizationSpec.newBuilder().setL2(l2).build())
            .setBatch(
                BatchPolicySpec.newBuilder()
                    .setKind(BatchPolicyKind.SIZE_OR_LATENCY)
                    .setSize(batchSize)
                    .setMaxLatencyMs(maxLatencyMs)
                    .build())
            .build();
    return SpecValidator.requireValid(spec);
  }

  /**
   * The same spec with a fixed-size batch policy (no latency bound: fully deterministic batches).
   */
  public static ModelSpec withFixedBatches(ModelSpec spec, int size) {
    return SpecValidator.requireValid(
        ModelSpec.newBuilder(spec)
            .setBatch(
                BatchPolicySpec.newBuilder(spec.getBatch())
                    .setKind(BatchPolicyKind.FIXED)
                    .setSize(size)
                    .build())
            .build());
  }

  /** The same spec with another optimizer (its other hyper-parameters at their defaults). */
  public static ModelSpec withOptimizer(ModelSpec spec, OptimizerKind kind, double learningRate) {
    return SpecValidator.requireValid(
        ModelSpec.newBuilder(spec)
            .setOptimizer(
                OptimizerSpec.newBuilder().setKind(kind).setLearningRate(learningRate).build())
            .build());
  }

  /** The same spec with other penalties: L1 and L2 together make the elastic net. */
  public static ModelSpec withRegularization(ModelSpec spec, double l1, double l2) {
    return SpecValidator.requireValid(
        ModelSpec.newBuilder(spec)
            .setRegularization(RegularizationSpec.newBuilder().setL1(l1).setL2(l2).build())
            .build());
  }
}
