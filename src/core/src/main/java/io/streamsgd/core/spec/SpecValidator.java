package io.streamsgd.core.spec;

import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerSpec;
import io.streamsgd.schema.Task;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a {@link ModelSpec} before it is used: every problem is reported with the field name and
 * the allowed range, so a bad spec fails loudly instead of training garbage.
 */
public final class SpecValidator {
  /** Model ids are also Kafka keys, metric labels and URL path segments: keep them plain. */
  public static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /**
   * Whether {@code id} matches {@link #MODEL_ID}, without a regex: it runs for every sample, and
   * the matcher was a visible share of the trainer's CPU.
   */
  public static boolean isModelId(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isModelIdChar(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code c} may appear in a model id (see {@link #MODEL_ID}). */
  public static boolean isModelIdChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  public static final int MAX_DIMENSION = 1 << 28;
  public static final int MAX_CLASSES = 100_000;

  /** Weights of one model: outputs x dimension. */
  public static final long MAX_PARAMETERS = 1L << 28;

  public static final int MAX_BATCH_SIZE = 1_000_000;
  public static final long MAX_LATENCY_MS = 24L * 3600 * 1000;

  private static final Map<Loss, Task> TASK_OF = new EnumMap<>(Loss.class);

  static {
    TASK_OF.put(Loss.SQUARED, Task.REGRESSION);
    TASK_OF.put(Loss.HUBER, Task.REGRESSION);
    TASK_OF.put(Loss.EPSILON_INSENSITIVE, Task.REGRESSION);
    TASK_OF.put(Loss.LOGISTIC, Task.BINARY);
    TASK_OF.put(Loss.HINGE, Task.BINARY);
    TASK_OF.put(Loss.MODIFIED_HUBER, Task.BINARY);
    TASK_OF.put(Loss.SOFTMAX, Task.MULTICLASS);
  }

  private SpecValidator() {}

  public static List<String> problems(ModelSpec spec) {
    List<String> p = new ArrayList<>();
    String id = spec.getModelId();
    if (!isModelId(id)) {
      p.add("modelId must match " + MODEL_ID.pattern() + ", got '" + id + "'");
    }
    Task lossTask = TASK_OF.get(spec.getLoss());
    if (lossTask != spec.getTask()) {
      p.add(
          "loss "
              + spec.getLoss()
              + " trains "
              + lossTask
              + " models, but task is "
              + spec.getTask());
    }
    if (spec.getTask() == Task.MULTICLASS) {
      range(p, "numClasses", spec.getNumClasses(), 2, MAX_CLASSES);
    }
    positive(p, "huberDelta", spec.getHuberDelta());
    nonNegative(p, "epsilon", spec.getEpsilon());
    int dim = spec.getFeatureDimension();
    range(p, "featureDimension", dim, 1, MAX_DIMENSION);
    int bits = spec.getHashBits();
    range(p, "hashBits", bits, 0, 28);
    if (bits > 0 && bits <= 28 && dim != (1 << bits)) {
      p.add(
          "featureDimension must be 2^hashBits = "
              + (1 << bits)
              + " when hashBits is "
              + bits
              + ", got "
              + dim);
    }
    long params =
        (long) Math.max(1, spec.getTask() == Task.MULTICLASS ? spec.getNumClasses() : 1)
            * Math.max(1, dim);
    if (params > MAX_PARAMETERS) {
      p.add("outputs x featureDimension must be <= " + MAX_PARAMETERS + ", got " + params);
    }
    optimizer(p, spec.getOptimizer());
    nonNegative(p, "regularization.l2", spec.getRegularization().getL2());
    nonNegative(p, "regularization.l1", spec.getRegularization().getL1());
    batch(p, spec.getBatch());
    range(
        p, "publication.everyUpdates", spec.getPublication().getEveryUpdates(), 1, MAX_BATCH_SIZE);
    range(p, "publication.everyMs", spec.getPublication().getEveryMs(), 0, MAX_LATENCY_MS);
    double factor = spec.getDivergenceGuard().getLossFactor();
    if (!(factor == 0 || (factor > 1 && Double.isFinite(factor)))) {
      p.add("divergenceGuard.lossFactor must be 0 (off) or finite and > 1, got " + factor);
    }
    double backoff = spec.getDivergenceGuard().getBackoff();
    if (!(backoff > 0 && backoff < 1)) {
      p.add("divergenceGuard.backoff must be in (0, 1), got " + backoff);
    }
    range(p, "divergenceGuard.maxBackoffs", spec.getDivergenceGuard().getMaxBackoffs(), 0, 1000);
    double alpha = spec.getFadingFactor();
    if (!(alpha > 0 && alpha <= 1)) {
      p.add("fadingFactor must be in (0, 1], got " + alpha);
    }
    if (spec.getDrift() != null) {
      p.addAll(io.streamsgd.core.drift.DriftSpecs.problems(spec.getDrift(), spec.getTask()));
    }
    return p;
  }

  private static void batch(List<String> p, BatchPolicySpec b) {
    range(p, "batch.size", b.getSize(), 1, MAX_BATCH_SIZE);
    boolean adaptive =
        b.getKind() != BatchPolicyKind.FIXED && b.getKind() != BatchPolicyKind.SIZE_OR_LATENCY;
    if (b.getKind() == BatchPolicyKind.SIZE_OR_LATENCY) {
      range(p, "batch.maxLatencyMs", b.getMaxLatencyMs(), 1, MAX_LATENCY_MS);
    } else if (adaptive) {
      range(p, "batch.maxLatencyMs", b.getMaxLatencyMs(), 0, MAX_LATENCY_MS);
      range(p, "batch.minSize", b.getMinSize(), 1, MAX_BATCH_SIZE);
      range(p, "batch.maxSize", b.getMaxSize(), Math.max(1, b.getMinSize()), MAX_BATCH_SIZE);
      positive(p, "batch.theta", b.getTheta());
      if (b.getNu() != null) {
        positive(p, "batch.nu", b.getNu());
      }
      if (!(b.getGrowthFactor() >= 1) || !Double.isFinite(b.getGrowthFactor())) {
        p.add("batch.growthFactor must be finite and >= 1, got " + b.getGrowthFactor());
      }
      range(p, "batch.growthSteps", b.getGrowthSteps(), 1, Integer.MAX_VALUE);
    }
  }

  private static void optimizer(List<String> p, OptimizerSpec o) {
    positive(p, "optimizer.learningRate", o.getLearningRate());
    if (o.getInterceptLearningRate() != null) {
      positive(p, "optimizer.interceptLearningRate", o.getInterceptLearningRate());
    }
    nonNegative(p, "optimizer.powerT", o.getPowerT());
    if (!(o.getDecayRate() > 0 && o.getDecayRate() <= 1)) {
      p.add("optimizer.decayRate must be in (0, 1], got " + o.getDecayRate());
    }
    range(p, "optimizer.decaySteps", o.getDecaySteps(), 1, Integer.MAX_VALUE);
    unitInterval(p, "optimizer.momentum", o.getMomentum());
    unitInterval(p, "optimizer.beta1", o.getBeta1());
    unitInterval(p, "optimizer.beta2", o.getBeta2());
    unitInterval(p, "optimizer.rho", o.getRho());
    positive(p, "optimizer.epsilon", o.getEpsilon());
    nonNegative(p, "optimizer.ftrlBeta", o.getFtrlBeta());
  }

  private static void positive(List<String> p, String field, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      p.add(field + " must be finite and > 0, got " + v);
    }
  }

  private static void nonNegative(List<String> p, String field, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      p.add(field + " must be finite and >= 0, got " + v);
    }
  }

  private static void unitInterval(List<String> p, String field, double v) {
    if (!(v >= 0 && v < 1)) {
      p.add(field + " must be in [0, 1), got " + v);
    }
  }

  private static void range(List<String> p, String field, long v, long min, long max) {
    if (v < min || v > max) {
      p.add(field + " must be in [" + min + ", " + max + "], got " + v);
    }
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
