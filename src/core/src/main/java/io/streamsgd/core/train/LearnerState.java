package io.streamsgd.core.train;

import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.metrics.PrequentialMetrics;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.optim.Optimizer;
import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.spec.SpecShape;
import io.streamsgd.schema.ModelSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one model needs to continue learning: its spec, parameters, optimizer slots, the
 * update at which each weight was last touched (for lazy regularization of sparse models), version
 * counter, samples seen and prequential sums. The trainer keeps one per model in checkpointed state
 * and reads/writes it once per batch.
 *
 * <p>Parameters are stored dense (a {@link LinearModel} and slot arrays of its full size) or, for
 * shapes above {@link SpecShape#DENSE_STORAGE_MAX_WEIGHTS} weights, sparse ({@link
 * SparseParameters}: the touched columns only). The storage follows the shape; both train to the
 * same bits.
 */
public final class LearnerState {
  private ModelSpec spec;
  private CompiledSpec compiled; // built on first use: serializers restore only the spec
  private long specFingerprint;
  private LinearModel model; // dense storage; null when sparse
  private double[][] slots; // dense storage; null when sparse
  private long[] touchedAt; // null until a sparse batch needs lazy regularization
  private SparseParameters sparse; // sparse storage; null when dense
  private long version;
  private long samplesSeen;
  private int batchTarget; // 0: the batch policy's first target
  private PrequentialMetrics metrics;
  private final DivergenceRecord divergence;
  private int lineage = 1;
  private long lineageStartVersion = 1;
  private DriftWatch drift; // null: the spec asks for no drift detection
  // The last batch's mean gradient (k x d weights, then k intercepts), the reference direction of
  // the inner-product test on running sums (see BatchSums); null under other policies.
  private double[] direction;
  private double directionNorm;

  public LearnerState(
      ModelSpec spec,
      long specFingerprint,
      LinearModel model,
      double[][] slots,
      long[] touchedAt,
      long version,
      long samplesSeen,
      int batchTarget,
      PrequentialMetrics metrics,
      DivergenceRecord divergence) {
    this(spec, specFingerprint, version, samplesSeen, batchTarget, metrics, divergence);
    this.model = Objects.requireNonNull(model, "model");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.touchedAt = touchedAt;
  }

  /** A sparse-stored model (see {@link SparseParameters}). */
  public LearnerState(
      ModelSpec spec,
      long specFingerprint,
      SparseParameters sparse,
      long version,
      long samplesSeen,
      int batchTarget,
      PrequentialMetrics metrics,
      DivergenceRecord divergence) {
    this(spec, specFingerprint, version, samplesSeen, batchTarget, metrics, divergence);
    this.sparse = Objects.requireNonNull(sparse, "sparse");
  }

  private LearnerState(
      ModelSpec spec,
      long specFingerprint,
      long version,
      long samplesSeen,
      int batchTarget,
      PrequentialMetrics metrics,
      DivergenceRecord divergence) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.specFingerprint = specFingerprint;
    this.version = version;
    this.samplesSeen = samplesSeen;
    this.batchTarget = batchTarget;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.divergence = Objects.requireNonNull(divergence, "divergence");
  }

  /** A model that has seen nothing: zero parameters, version 0. */
  public static LearnerState initial(ModelSpec spec) {
    return initial(spec, CompiledSpec.of(spec));
  }

  /** As {@link #initial(ModelSpec)}, with the spec's objects already built. */
  public static LearnerState initial(ModelSpec spec, CompiledSpec compiled) {
    return initial(spec, compiled, compiled.shape().sparseStorage());
  }

  /**
   * As {@link #initial(ModelSpec, CompiledSpec)}, in the storage given rather than the one the
   * shape picks: for tests and benchmarks that compare the two.
   */
  public static LearnerState initial(ModelSpec spec, CompiledSpec compiled, boolean sparseStorage) {
    LearnerState state =
        new LearnerState(
            spec,
            compiled.fingerprint(spec.getModelId()),
            0L,
            0L,
            0,
            new PrequentialMetrics(),
            new DivergenceRecord());
    state.zeroParameters(compiled, sparseStorage);
    state.compiled = compiled;
    state.drift = DriftWatch.of(spec.getDrift());
    return state;
  }

  /** Zero parameters and slots, stored dense or sparse. */
  private void zeroParameters(CompiledSpec compiled, boolean sparseStorage) {
    SpecShape shape = compiled.shape();
    touchedAt = null;
    direction = null;
    if (sparseStorage) {
      sparse =
          new SparseParameters(
              shape.outputs(), shape.dimension(), compiled.optimizer().slotCount());
      model = null;
      slots = null;
    } else {
      sparse = null;
      model = LinearModel.zeros(shape.outputs(), shape.dimension());
      slots = newSlots(compiled.optimizer(), model);
    }
  }

  /**
   * A dense state of this model's counters over {@code view}'s parameters (see SparseBatchView).
   */
  LearnerState denseView(LinearModel view, double[][] viewSlots, long[] viewTouchedAt) {
    LearnerState v =
        new LearnerState(
            spec,
            specFingerprint,
            view,
            viewSlots,
            viewTouchedAt,
            version,
            samplesSeen,
            batchTarget,
            metrics,
            divergence);
    v.compiled = compiled();
    v.drift = drift; // the view's scoring feeds this model's detector
    return v.withLineage(lineage, lineageStartVersion);
  }

  /** Takes the version, samples seen and batch target a view advanced. */
  void takeCounters(LearnerState view) {
    version = view.version;
    samplesSeen = view.samplesSeen;
    batchTarget = view.batchTarget;
  }

  /**
   * A model resumed from its last published update (warm start): parameters, version, samples seen,
   * next batch target, prequential metrics and divergence record as published. Optimizer slots are
   * not published, so adaptive optimizers start their accumulators afresh; the faded metrics
   * restart with the published faded means over one fading window.
   */
  public static LearnerState fromUpdate(io.streamsgd.schema.ModelUpdate update) {
    ModelSpec spec = update.getSpec();
    LinearModel model = io.streamsgd.core.avro.ModelUpdates.model(update);
    io.streamsgd.schema.PrequentialMetrics m = update.getMetrics();
    double w = m.getWeightSum();
    double window = Math.min(w, 1.0 / (1.0 - Math.min(m.getFadingFactor(), 1.0 - 1e-12)));
    double[] sums = {
      w,
      m.getLossSum(),
      orZero(m.getAccuracy()) * w,
      square(m.getRmse()) * w,
      orZero(m.getMae()) * w,
      window,
      m.getFadedLoss() * window,
      orZero(m.getFadedAccuracy()) * window,
      square(m.getFadedRmse()) * window,
      orZero(m.getFadedMae()) * window
    };
    for (int i = 0; i < sums.length; i++) {
      sums[i] = Double.isFinite(sums[i]) ? sums[i] : 0.0;
    }
    CompiledSpec compiled = CompiledSpec.of(spec);
    LinearModel stored = compiled.shape().sparseStorage() ? model : model.toDense();
    PrequentialMetrics metrics = new PrequentialMetrics(m.getCount(), sums);
    DivergenceRecord divergence =
        new DivergenceRecord(update.getRejectedBatches(), 0, 0, update.getLearningRateScale());
    LearnerState state =
        compiled.shape().sparseStorage()
            ? new LearnerState(
                spec,
                update.getSpecFingerprint(),
                SparseParameters.of(model, compiled.optimizer().slotCount()),
                update.getVersion(),
                update.getSamplesSeen(),
                update.getNextBatchTarget(),
                metrics,
                divergence)
            : new LearnerState(
                spec,
                update.getSpecFingerprint(),
                stored,
                newSlots(compiled.optimizer(), stored),
                null,
                update.getVersion(),
                update.getSamplesSeen(),
                update.getNextBatchTarget(),
                metrics,
                divergence);
    state.compiled = compiled;
    // The detector's state is not published: a warm-started model's detector starts afresh.
    state.drift = DriftWatch.of(spec.getDrift());
    return state.withLineage(update.getLineage(), update.getLineageStartVersion());
  }

  private static double orZero(Double v) {
    return v == null ? 0.0 : v;
  }

  private static double square(Double v) {
    return v == null ? 0.0 : v * v;
  }

  /**
   * Switches to a new spec. Of the same shape (task, outputs, dimension) it keeps the learned
   * parameters; optimizer slots survive when the optimizer stays the same kind. Of another shape
   * the parameters cannot carry over: the model starts a new lineage from zero parameters, slots
   * and metrics, while its version keeps counting up (consumers keep working by version).
   *
   * @return true when a new lineage started
   */
  public boolean adopt(ModelSpec newSpec) {
    return adopt(newSpec, CompiledSpec.of(newSpec));
  }

  /** As {@link #adopt(ModelSpec)}, with the new spec's objects already built. */
  public boolean adopt(ModelSpec newSpec, CompiledSpec newCompiled) {
    boolean newShape = !compiled().shape().equals(newCompiled.shape());
    if (newShape || !Objects.equals(newSpec.getDrift(), spec.getDrift())) {
      drift = DriftWatch.of(newSpec.getDrift()); // another detector, or a model it never saw
    }
    if (newShape) {
      zeroParameters(newCompiled, newCompiled.shape().sparseStorage());
      newLineage();
    } else if (newSpec.getOptimizer().getKind() != spec.getOptimizer().getKind()) {
      if (sparse != null) {
        sparse.resetSlots(newCompiled.optimizer().slotCount());
      } else {
        slots = newSlots(newCompiled.optimizer(), model);
      }
    }
    if (!newShape && !newSpec.getBatch().equals(spec.getBatch())) {
      batchTarget = 0; // a new batch policy starts from its own first target
    }
    spec = newSpec;
    compiled = newCompiled;
    specFingerprint = newCompiled.fingerprint(newSpec.getModelId());
    return newShape;
  }

  private void newLineage() {
    metrics = new PrequentialMetrics();
    batchTarget = 0;
    lineage++;
    lineageStartVersion = version + 1;
  }

  /**
   * Starts a new lineage from zero parameters and slots, and fresh metrics, after the current
   * version (a drift's reset); the storage and the spec stay.
   */
  public void startLineage() {
    zeroParameters(compiled(), sparse != null);
    newLineage();
  }

  /**
   * Starts a new lineage from {@code background}'s parameters and slots (a background model
   * promoted at a drift); it must have this model's spec and storage.
   */
  public void promote(LearnerState background) {
    if (background.isSparse() != isSparse() || background.specFingerprint != specFingerprint) {
      throw new IllegalArgumentException("a background model of another spec or storage");
    }
    sparse = background.sparse;
    model = background.model;
    slots = background.slots;
    touchedAt = background.touchedAt;
    direction = null;
    directionNorm = 0;
    newLineage();
  }

  /**
   * The last batch's mean gradient, weights (k x d) then intercepts, kept under the inner-product
   * test as the reference direction of the next batch's statistics (see {@link BatchSums}); null
   * before the first batch and under other policies.
   */
  public double[] direction() {
    return direction;
  }

  /** The Euclidean norm of {@link #direction()}. */
  double directionNorm() {
    return directionNorm;
  }

  /**
   * Sets the reference direction (serializers restore it): null, or of this model's size with a
   * positive norm; anything else is dropped.
   */
  public LearnerState setDirection(double[] mean) {
    double norm = 0;
    if (mean != null && model != null && mean.length == model.weights().length + model.outputs()) {
      for (double v : mean) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
    }
    boolean usable = norm > 0 && Double.isFinite(norm);
    this.direction = usable ? mean : null;
    this.directionNorm = usable ? norm : 0;
    return this;
  }

  /** The model's drift watch, or null when its spec asks for none. */
  public DriftWatch drift() {
    return drift;
  }

  /** Sets the drift watch (serializers restore it; null for none). */
  public LearnerState setDrift(DriftWatch watch) {
    this.drift = watch;
    return this;
  }

  /** Restores the lineage (for serializers). */
  public LearnerState withLineage(int lineage, long lineageStartVersion) {
    this.lineage = lineage;
    this.lineageStartVersion = lineageStartVersion;
    return this;
  }

  /** 1, then +1 each time a spec of another shape restarted the model. */
  public int lineage() {
    return lineage;
  }

  /** First version of the current lineage. */
  public long lineageStartVersion() {
    return lineageStartVersion;
  }

  private static double[][] newSlots(Optimizer optimizer, LinearModel model) {
    double[][] s = new double[optimizer.slotCount()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = new double[model.weights().length + model.intercepts().length];
    }
    return s;
  }

  /** Records one applied batch: the version advances by exactly one. */
  void recordBatch(int size, int nextBatchTarget) {
    version++;
    samplesSeen += size;
    batchTarget = nextBatchTarget;
  }

  /** Target size of the model's next batch under its spec's batch policy. */
  public int nextBatchTarget() {
    BatchPolicy policy = compiled().batchPolicy();
    return batchTarget > 0 ? Math.min(batchTarget, policy.maxSize()) : policy.firstTarget();
  }

  /** The stored target, 0 before the first batch (for serialization). */
  public int batchTarget() {
    return batchTarget;
  }

  /**
   * The update at which each weight was last touched, created on first need with every weight
   * marked as touched at {@code asOf} (all earlier updates regularized every weight eagerly).
   */
  long[] ensureTouchedAt(long asOf) {
    if (touchedAt == null) {
      touchedAt = new long[model.weights().length];
      Arrays.fill(touchedAt, asOf);
    }
    return touchedAt;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The spec's loss, optimizer and batch policy. */
  public CompiledSpec compiled() {
    if (compiled == null) {
      compiled = CompiledSpec.of(spec);
    }
    return compiled;
  }

  /**
   * Hands the state a compiled spec of the content it trains under (one a trainer already built for
   * the same spec), so that a state read from a checkpoint does not build its own.
   */
  public void useCompiled(CompiledSpec same) {
    compiled = same;
  }

  public long specFingerprint() {
    return specFingerprint;
  }

  /**
   * The parameters: the stored model when dense; when sparse, a sorted copy of the columns with a
   * non-zero weight (what is published).
   */
  public LinearModel model() {
    return sparse != null ? sparse.toModel() : model;
  }

  /** Whether the parameters are stored sparse. */
  public boolean isSparse() {
    return sparse != null;
  }

  /** The sparse storage; null when dense. */
  public SparseParameters sparseParameters() {
    return sparse;
  }

  /** Values the parameters take in memory: weights, intercepts, slots and touch marks. */
  public long storedValues() {
    if (sparse != null) {
      return sparse.storedValues();
    }
    long values = model.weights().length + model.intercepts().length;
    for (double[] slot : slots) {
      values += slot.length;
    }
    return values + (touchedAt == null ? 0 : touchedAt.length);
  }

  /** Dense storage's slot arrays (weights' then intercepts'); null when sparse. */
  public double[][] slots() {
    return slots;
  }

  /**
   * Per weight, the update that last touched it; null while the model has needed no lazy
   * regularization.
   */
  public long[] touchedAt() {
    return touchedAt;
  }

  public long version() {
    return version;
  }

  public long samplesSeen() {
    return samplesSeen;
  }

  public PrequentialMetrics metrics() {
    return metrics;
  }

  /** What the divergence guard has done to this model. */
  public DivergenceRecord divergence() {
    return divergence;
  }

  public LearnerState copy() {
    LearnerState copy;
    if (sparse != null) {
      copy =
          new LearnerState(
              spec,
              specFingerprint,
              sparse.copy(),
              version,
              samplesSeen,
              batchTarget,
              metrics.copy(),
              divergence.copy());
    } else {
      double[][] s = new double[slots.length][];
      for (int i = 0; i < s.length; i++) {
        s[i] = slots[i].clone();
      }
      copy =
          new LearnerState(
              spec,
              specFingerprint,
              model.copy(),
              s,
              touchedAt == null ? null : touchedAt.clone(),
              version,
              samplesSeen,
              batchTarget,
              metrics.copy(),
              divergence.copy());
    }
    copy.compiled = compiled;
    copy.drift = drift == null ? null : drift.copy();
    copy.direction = direction == null ? null : direction.clone();
    copy.directionNorm = directionNorm;
    return copy.withLineage(lineage, lineageStartVersion);
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
        && batchTarget == l.batchTarget
        && spec.equals(l.spec)
        && Objects.equals(model, l.model)
        && Arrays.deepEquals(slots, l.slots)
        && Arrays.equals(touchedAt, l.touchedAt)
        && Objects.equals(sparse, l.sparse)
        && metrics.equals(l.metrics)
        && divergence.equals(l.divergence)
        && lineage == l.lineage
        && lineageStartVersion == l.lineageStartVersion
        && Objects.equals(drift, l.drift)
        && Arrays.equals(direction, l.direction);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec.getModelId(), version, samplesSeen);
  }

  @Override
  public String toString() {
    return "LearnerState{"
        + spec.getModelId()
        + " v"
        + version
        + ", seen="
        + samplesSeen
        + ", "
        + (sparse != null ? "sparse, " + sparse.size() + " columns stored" : model)
        + "}";
  }
}
