package io.streamsgd.core.train;

import io.streamsgd.core.metrics.PrequentialLoss;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.optim.Optimizer;
import io.streamsgd.core.spec.SpecFingerprint;
import io.streamsgd.core.spec.SpecShape;
import io.streamsgd.schema.ModelSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one model needs to continue learning: its spec, parameters, optimizer slots,
 * version counter, samples seen and prequential sums. The trainer keeps one per model in
 * checkpointed state and reads/writes it once per batch.
 */
public final class LearnerState {
  private ModelSpec spec;
  private long specFingerprint;
  private final LinearModel model;
  private double[][] slots;
  private long version;
  private long samplesSeen;
  private final PrequentialLoss prequential;

  public LearnerState(
      ModelSpec spec,
      long specFingerprint,
      LinearModel model,
      double[][] slots,
      long version,
      long samplesSeen,
      PrequentialLoss prequential) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.specFingerprint = specFingerprint;
    this.model = Objects.requireNonNull(model, "model");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.version = version;
    this.samplesSeen = samplesSeen;
    this.prequential = Objects.requireNonNull(prequential, "prequential");
  }

  /** A model that has seen nothing: zero parameters, version 0. */
  public static LearnerState initial(ModelSpec spec) {
    SpecShape shape = SpecShape.of(spec);
    LinearModel model = LinearModel.zeros(shape.outputs(), shape.dimension());
    return new LearnerState(
        spec,
        SpecFingerprint.of(spec),
        model,
        newSlots(Optimizer.of(spec.getOptimizer()), model),
        0L,
        0L,
        new PrequentialLoss());
  }

  /**
   * Switches to a new spec of the same shape (task, outputs, dimension), keeping the learned
   * parameters. Optimizer slots survive when the optimizer keeps the same number of slots, and
   * start from zero otherwise.
   *
   * @throws IllegalArgumentException when the new spec has another shape
   */
  public void adopt(ModelSpec newSpec) {
    SpecShape current = SpecShape.of(spec);
    SpecShape next = SpecShape.of(newSpec);
    if (!current.equals(next)) {
      throw new IllegalArgumentException(
          "spec for model " + spec.getModelId() + " changes shape from " + current + " to " + next);
    }
    Optimizer optimizer = Optimizer.of(newSpec.getOptimizer());
    if (optimizer.slotCount() != slots.length) {
      slots = newSlots(optimizer, model);
    }
    spec = newSpec;
    specFingerprint = SpecFingerprint.of(newSpec);
  }

  private static double[][] newSlots(Optimizer optimizer, LinearModel model) {
    double[][] s = new double[optimizer.slotCount()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = new double[model.weights().length + model.intercepts().length];
    }
    return s;
  }

  /** Records one applied batch: the version advances by exactly one. */
  void recordBatch(int size, double weightedLossSum, double weightSum) {
    version++;
    samplesSeen += size;
    prequential.add(size, weightedLossSum, weightSum);
  }

  public ModelSpec spec() {
    return spec;
  }

  public long specFingerprint() {
    return specFingerprint;
  }

  public LinearModel model() {
    return model;
  }

  public double[][] slots() {
    return slots;
  }

  public long version() {
    return version;
  }

  public long samplesSeen() {
    return samplesSeen;
  }

  public PrequentialLoss prequential() {
    return prequential;
  }

  public LearnerState copy() {
    double[][] s = new double[slots.length][];
    for (int i = 0; i < s.length; i++) {
      s[i] = slots[i].clone();
    }
    return new LearnerState(
        spec, specFingerprint, model.copy(), s, version, samplesSeen, prequential.copy());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LearnerState)) {
      return false;
    }
    LearnerState l = (LearnerState) o;
    return specFingerprint == l.specFingerprint
        && version == l.version
        && samplesSeen == l.samplesSeen
        && spec.equals(l.spec)
        && model.equals(l.model)
        && Arrays.deepEquals(slots, l.slots)
        && prequential.equals(l.prequential);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec.getModelId(), version, samplesSeen, model);
  }

  @Override
  public String toString() {
    return "LearnerState{" + spec.getModelId() + " v" + version + ", seen=" + samplesSeen + ", " + model + "}";
  }
}
