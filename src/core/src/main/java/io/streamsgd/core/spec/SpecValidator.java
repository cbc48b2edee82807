package io.streamsgd.core.spec;

import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a {@link ModelSpec} before it is used: every problem is reported with the field name
 * and the allowed range, so a bad spec fails loudly instead of training garbage.
 */
public final class SpecValidator {
  /** Model ids are also Kafka keys, metric labels and URL path segments: keep them plain. */
  public static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public static final int MAX_DIMENSION = 1 << 28;
  public static final int MAX_BATCH_SIZE = 1_000_000;
  public static final long MAX_LATENCY_MS = 24L * 3600 * 1000;

  private SpecValidator() {}

  public static List<String> problems(ModelSpec spec) {
    List<String> problems = new ArrayList<>();
    String id = spec.getModelId();
    if (id == null || !MODEL_ID.matcher(id).matches()) {
      problems.add("modelId must match " + MODEL_ID.pattern() + ", got '" + id + "'");
    }
    LossFunction loss;
    try {
      loss = LossFunction.of(spec.getLoss());
      if (loss.task() != spec.getTask()) {
        problems.add("loss " + spec.getLoss() + " trains " + loss.task() + " models, but task is " + spec.getTask());
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    int dim = spec.getFeatureDimension();
    if (dim < 1 || dim > MAX_DIMENSION) {
      problems.add("featureDimension must be in [1, " + MAX_DIMENSION + "], got " + dim);
    }
    double lr = spec.getOptimizer().getLearningRate();
    if (!(lr > 0) || !Double.isFinite(lr)) {
      problems.add("optimizer.learningRate must be finite and > 0, got " + lr);
    }
    double l2 = spec.getRegularization().getL2();
    if (!(l2 >= 0) || !Double.isFinite(l2)) {
      problems.add("regularization.l2 must be finite and >= 0, got " + l2);
    }
    BatchPolicySpec batch = spec.getBatch();
    if (batch.getSize() < 1 || batch.getSize() > MAX_BATCH_SIZE) {
      problems.add("batch.size must be in [1, " + MAX_BATCH_SIZE + "], got " + batch.getSize());
    }
    if (batch.getMaxLatencyMs() < 1 || batch.getMaxLatencyMs() > MAX_LATENCY_MS) {
      problems.add("batch.maxLatencyMs must be in [1, " + MAX_LATENCY_MS + "], got " + batch.getMaxLatencyMs());
    }
    return problems;
  }

  /** Throws {@link IllegalArgumentException} naming every problem, or returns the spec. */
  public static ModelSpec requireValid(ModelSpec spec) {
    List<String> problems = problems(spec);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid spec for model '" + spec.getModelId() + "': " + String.join("; ", problems));
    }
    return spec;
  }
}
