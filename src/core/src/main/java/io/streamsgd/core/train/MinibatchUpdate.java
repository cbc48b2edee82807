package io.streamsgd.core.train;

import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.batch.GradientStatistics;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.core.metrics.PrequentialMetrics;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.optim.LearningRate;
import io.streamsgd.core.optim.Optimizer;
import io.streamsgd.core.optim.Regularization;
import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One minibatch step on a {@link LearnerState}: score every sample with the current parameters
 * (this is the prequential test: the model has not seen the batch yet), form the weighted mean
 * gradient of the loss, and let the optimizer update the parameters (regularization included).
 *
 * <p>Dense batches are matrix products, scores {@code Z = X W^T} and gradient {@code G^T X}:
 * through EJML for k outputs, through {@link DenseKernels}' matrix-vector loops for one; sparse
 * batches gather the gradient of the touched coordinates only, and the untouched ones are
 * regularized lazily on their next touch (see {@link Regularization}).
 *
 * <p>The arithmetic depends only on the state and the batch, in order, so replaying the same
 * batches gives bit-identical parameters.
 */
public final class MinibatchUpdate {

  private MinibatchUpdate() {}

  /**
   * Applies {@code batch}, whose samples must fit the state's spec (folded features, dimension,
   * labels: see {@link SampleValidator}).
   */
  public static BatchResult apply(LearnerState state, List<Sample> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("cannot apply an empty batch");
    }
    if (BatchSums.supports(state)) {
      // The same arithmetic as a trainer that kept the batch as running sums.
      return applySums(state, sums(state, batch, state.compiled().batchPolicy().needsStatistics()));
    }
    DriftWatch drift = state.drift();
    if (drift == null) {
      return step(state, batch);
    }
    // The model changes only between batches: a drift the last batch showed is reacted to first.
    List<DriftWatch.Event> events = new ArrayList<>(drift.beforeBatch(state, batch));
    BatchResult result = step(state, batch);
    events.addAll(drift.afterBatch(state, batch));
    return result.withDriftEvents(events);
  }

  private static BatchResult step(LearnerState state, List<Sample> batch) {
    if (state.isSparse()) {
      long versionBefore = state.version();
      SparseBatchView view = SparseBatchView.of(state, batch);
      BatchResult result = step(view.state(), view.batch());
      view.writeBack(versionBefore);
      return result;
    }
    ModelSpec spec = state.spec();
    LinearModel model = state.model();
    int n = batch.size();
    int d = model.dimension();
    int k = model.outputs();

    long t = state.version() + 1;
    CompiledSpec compiled = state.compiled();
    Optimizer optimizer = compiled.optimizer();
    double scale = state.divergence().learningRateScale();
    Optimizer.Step weightStep =
        new Optimizer.Step(
            t,
            scale * LearningRate.at(spec.getOptimizer(), t),
            spec.getRegularization().getL1(),
            spec.getRegularization().getL2());
    boolean dense = allDense(batch);
    boolean lazy =
        !dense
            && (weightStep.l1() > 0 || weightStep.l2() > 0)
            && optimizer.needsLazyRegularization();
    if (lazy) {
      // Before scoring: the batch must meet its coordinates as eager regularization would have left
      // them.
      catchUpRegularization(state, batch, weightStep);
    }

    Workspace ws = WORKSPACE.get();
    Forward fwd = forward(state, batch, dense, ws, state.metrics());
    double[] g = fwd.g;
    double[] intercepts = model.intercepts();
    double weightSum = fwd.weightSum;
    BatchPolicy policy = compiled.batchPolicy();
    GradientStatistics stats =
        policy.needsStatistics() ? statistics(batch, g, k, d, dense, ws) : null;
    if (weightSum > 0.0) {
      double inv = 1.0 / weightSum;
      SparseGradient sparse = dense ? null : SparseGradient.of(batch, g, k, d, inv);
      Backup backup =
          new Backup(state, sparse == null ? null : sparse.index, sparse == null ? 0 : sparse.size);
      if (dense) {
        double[] gradW = ws.weightGradient(k * d);
        if (k == 1) {
          DenseKernels.gradient(batch, d, g, gradW);
        } else {
          CommonOps_DDRM.multTransA(
              DMatrixRMaj.wrap(n, k, g), fwd.x, DMatrixRMaj.wrap(k, d, gradW));
        }
        for (int p = 0; p < gradW.length; p++) {
          gradW[p] *= inv;
        }
        optimizer.update(model.weights(), null, gradW, gradW.length, state.slots(), 0, weightStep);
      } else {
        optimizer.update(
            model.weights(), sparse.index, sparse.value, sparse.size, state.slots(), 0, weightStep);
      }
      double[] gradB = new double[k];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          gradB[j] += g[i * k + j];
        }
      }
      for (int j = 0; j < k; j++) {
        gradB[j] *= inv;
      }
      Optimizer.Step interceptStep =
          new Optimizer.Step(t, scale * LearningRate.interceptAt(spec.getOptimizer(), t), 0.0, 0.0);
      optimizer.update(intercepts, null, gradB, k, state.slots(), k * d, interceptStep);

      if (diverged(state, batch, dense, ws, backup, fwd)) {
        backup.restore(state);
        state.divergence().reject(spec.getDivergenceGuard());
        state.recordBatch(
            n, state.nextBatchTarget()); // a version that says so; the parameters stand
        return new BatchResult(n, weightSum, fwd.lossSum, fwd.tMin, fwd.tMax, false);
      }
      state.divergence().accept();
      if (dense && state.touchedAt() != null) {
        Arrays.fill(state.touchedAt(), t);
      } else if (lazy) {
        long[] touchedAt = state.touchedAt();
        for (int i = 0; i < sparse.size; i++) {
          touchedAt[sparse.index[i]] = t; // this step's penalty was applied with the update
        }
      }
    }
    state.recordBatch(n, policy.nextTarget(state.nextBatchTarget(), stats, t));
    return new BatchResult(n, weightSum, fwd.lossSum, fwd.tMin, fwd.tMax, true);
  }

  private static BatchSums sums(LearnerState state, List<Sample> batch, boolean withStatistics) {
    BatchSums sums = BatchSums.open(state, withStatistics);
    for (Sample s : batch) {
      sums.add(state, s);
    }
    return sums;
  }

  /**
   * Applies a batch kept as running sums ({@link BatchSums}, formed at {@code state}'s current
   * parameters): its samples' prequential records go to the metrics and drift watch in arrival
   * order, and the step is the one {@link #apply(LearnerState, List)} takes from the samples.
   */
  public static BatchResult apply(LearnerState state, BatchSums sums) {
    if (sums.size() == 0) {
      throw new IllegalArgumentException("cannot apply an empty batch");
    }
    if (!BatchSums.supports(state)) {
      throw new IllegalArgumentException("model " + state.spec().getModelId() + " keeps samples");
    }
    return applySums(state, sums);
  }

  private static BatchResult applySums(LearnerState state, BatchSums sums) {
    int n = sums.size();
    ModelSpec spec = state.spec();
    LinearModel model = state.model();
    int d = model.dimension();
    int k = model.outputs();
    if (sums.outputs() != k || sums.dimension() != d) {
      throw new IllegalArgumentException("sums of another shape than model " + spec.getModelId());
    }
    long t = state.version() + 1;
    CompiledSpec compiled = state.compiled();
    Optimizer optimizer = compiled.optimizer();
    BatchPolicy policy = compiled.batchPolicy();
    sums.recordMetrics(state);
    GradientStatistics stats = policy.needsStatistics() ? sums.statistics(state) : null;
    double weightSum = sums.weightSum();
    boolean applied = true;
    if (weightSum > 0.0) {
      double scale = state.divergence().learningRateScale();
      double inv = 1.0 / weightSum;
      int[] index = sums.touchedCoordinates();
      double[] sumW = sums.weightGradientSum();
      Backup backup = new Backup(state, index, index == null ? 0 : index.length);
      Optimizer.Step weightStep =
          new Optimizer.Step(
              t,
              scale * LearningRate.at(spec.getOptimizer(), t),
              spec.getRegularization().getL1(),
              spec.getRegularization().getL2());
      if (index == null) {
        double[] gradW = WORKSPACE.get().weightGradient(k * d);
        for (int p = 0; p < gradW.length; p++) {
          gradW[p] = sumW[p] * inv;
        }
        optimizer.update(model.weights(), null, gradW, gradW.length, state.slots(), 0, weightStep);
      } else {
        double[] value = new double[index.length];
        for (int e = 0; e < index.length; e++) {
          value[e] = sumW[index[e]] * inv;
        }
        optimizer.update(model.weights(), index, value, index.length, state.slots(), 0, weightStep);
      }
      double[] gradB = sums.interceptGradientSum().clone();
      for (int j = 0; j < k; j++) {
        gradB[j] *= inv;
      }
      Optimizer.Step interceptStep =
          new Optimizer.Step(t, scale * LearningRate.interceptAt(spec.getOptimizer(), t), 0.0, 0.0);
      optimizer.update(model.intercepts(), null, gradB, k, state.slots(), k * d, interceptStep);
      if (!finite(state, backup)) {
        backup.restore(state);
        state.divergence().reject(spec.getDivergenceGuard());
        applied = false;
      } else {
        state.divergence().accept();
        long[] touchedAt = state.touchedAt();
        if (touchedAt != null && index == null) {
          Arrays.fill(touchedAt, t);
        } else if (touchedAt != null) {
          for (int p : index) {
            touchedAt[p] = t;
          }
        }
      }
    }
    if (policy.usesInnerProducts()) {
      state.setDirection(meanGradient(sums));
    }
    state.recordBatch(
        n,
        applied ? policy.nextTarget(state.nextBatchTarget(), stats, t) : state.nextBatchTarget());
    BatchResult result =
        new BatchResult(
            n, weightSum, sums.lossSum(), sums.eventTimeMin(), sums.eventTimeMax(), applied);
    DriftWatch drift = state.drift();
    return drift == null
        ? result
        : result.withDriftEvents(drift.afterBatch(state, sums.lastEventTime(), null));
  }

  /** The batch's unweighted mean gradient, weights then intercepts (the next reference). */
  private static double[] meanGradient(BatchSums sums) {
    double[] w = sums.weightGradientSum();
    double[] b = sums.interceptGradientSum();
    double inv = 1.0 / sums.size();
    double[] mean = new double[w.length + b.length];
    for (int p = 0; p < w.length; p++) {
      mean[p] = w[p] * inv;
    }
    for (int j = 0; j < b.length; j++) {
      mean[w.length + j] = b[j] * inv;
    }
    return mean;
  }

  /** Whether every parameter the step may have changed is finite. */
  private static boolean finite(LearnerState state, Backup backup) {
    double[] w = state.model().weights();
    if (backup.index == null) {
      for (double v : w) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
    } else {
      for (int e = 0; e < backup.size; e++) {
        if (!Double.isFinite(w[backup.index[e]])) {
          return false;
        }
      }
    }
    for (double b : state.model().intercepts()) {
      if (!Double.isFinite(b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The divergence guard: a parameter the update touched is no longer finite, or (with a loss
   * factor) the batch's loss after the update exceeds the factor times its loss before.
   */
  private static boolean diverged(
      LearnerState state,
      List<Sample> batch,
      boolean dense,
      Workspace ws,
      Backup backup,
      Forward before) {
    if (!finite(state, backup)) {
      return true;
    }
    double factor = state.spec().getDivergenceGuard().getLossFactor();
    if (factor <= 0) {
      return false;
    }
    Forward after = forward(state, batch, dense, ws, null);
    double lossBefore = before.lossSum / before.weightSum;
    double lossAfter = after.lossSum / after.weightSum;
    return !(lossAfter <= factor * Math.max(lossBefore, 1e-12));
  }

  /**
   * The parameters and slots a step may change (the touched ones for sparse batches), to undo it.
   */
  private static final class Backup {
    final int[] index; // null: every weight
    final int size;
    final double[] weights;
    final double[] intercepts;
    final double[][] slots;

    Backup(LearnerState state, int[] index, int size) {
      this.index = index;
      this.size = size;
      double[] w = state.model().weights();
      this.weights = index == null ? w.clone() : gather(w, index, size, 0);
      this.intercepts = state.model().intercepts().clone();
      int kd = w.length;
      int k = intercepts.length;
      this.slots = new double[state.slots().length][];
      for (int s = 0; s < slots.length; s++) {
        double[] slot = state.slots()[s];
        slots[s] =
            index == null
                ? slot.clone()
                : concat(
                    gather(slot, index, size, 0), java.util.Arrays.copyOfRange(slot, kd, kd + k));
      }
    }

    void restore(LearnerState state) {
      double[] w = state.model().weights();
      int kd = w.length;
      int k = intercepts.length;
      if (index == null) {
        System.arraycopy(weights, 0, w, 0, kd);
      } else {
        for (int e = 0; e < size; e++) {
          w[index[e]] = weights[e];
        }
      }
      System.arraycopy(intercepts, 0, state.model().intercepts(), 0, k);
      for (int s = 0; s < slots.length; s++) {
        double[] slot = state.slots()[s];
        if (index == null) {
          System.arraycopy(slots[s], 0, slot, 0, slot.length);
        } else {
          for (int e = 0; e < size; e++) {
            slot[index[e]] = slots[s][e];
          }
          System.arraycopy(slots[s], size, slot, kd, k);
        }
      }
    }

    private static double[] gather(double[] from, int[] index, int size, int offset) {
      double[] out = new double[size];
      for (int e = 0; e < size; e++) {
        out[e] = from[offset + index[e]];
      }
      return out;
    }

    private static double[] concat(double[] a, double[] b) {
      double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }

  /** Scores, weighted loss gradients per score, and the batch's sums. */
  private static final class Forward {
    double[] g;
    DMatrixRMaj x; // the design matrix, for dense multi-output batches
    double weightSum;
    double lossSum;
    long tMin = Long.MAX_VALUE;
    long tMax = Long.MIN_VALUE;
  }

  /**
   * The forward pass: every sample scored with the current parameters; its loss recorded in {@code
   * metrics} (when given) in stream order; {@code g} = weight * d loss / d score.
   */
  private static Forward forward(
      LearnerState state,
      List<Sample> batch,
      boolean dense,
      Workspace ws,
      PrequentialMetrics metrics) {
    ModelSpec spec = state.spec();
    LossFunction loss = state.compiled().loss();
    LinearModel model = state.model();
    int n = batch.size();
    int d = model.dimension();
    int k = model.outputs();
    Forward fwd = new Forward();
    double[] z = ws.scores(n * k);
    if (dense && k == 1) {
      // One output: matrix-vector products straight from the samples' arrays, no design copy.
      DenseKernels.scores(batch, d, model.weights(), z);
    } else if (dense) {
      fwd.x = ws.design(batch, d);
      CommonOps_DDRM.multTransB(
          fwd.x, DMatrixRMaj.wrap(k, d, model.weights()), DMatrixRMaj.wrap(n, k, z));
    } else {
      for (int i = 0; i < n; i++) {
        FeatureVector f = batch.get(i).features();
        for (int j = 0; j < k; j++) {
          z[i * k + j] = f.dot(model.weights(), j * d);
        }
      }
    }
    double[] intercepts = model.intercepts();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        z[i * k + j] += intercepts[j];
      }
    }
    double[] g = ws.gradients(n * k);
    boolean regression = spec.getTask() == Task.REGRESSION;
    DriftWatch drift = metrics != null ? state.drift() : null;
    long seen = state.samplesSeen();
    for (int i = 0; i < n; i++) {
      Sample s = batch.get(i);
      double w = s.weight();
      int off = i * k;
      double l = loss.lossAndGradient(z, off, k, s.label(), g, off);
      if (metrics != null) {
        boolean correct = !regression && loss.predictedClass(z, off, k) == (int) s.label();
        recordScored(
            spec,
            metrics,
            drift,
            w,
            l,
            correct,
            regression ? z[off] - s.label() : 0.0,
            seen + i + 1,
            s.eventTime());
      }
      for (int j = 0; j < k; j++) {
        g[off + j] *= w;
      }
      fwd.lossSum += w * l;
      fwd.weightSum += w;
      fwd.tMin = Math.min(fwd.tMin, s.eventTime());
      fwd.tMax = Math.max(fwd.tMax, s.eventTime());
    }
    fwd.g = g;
    return fwd;
  }

  /**
   * One scored sample, in stream order: into the prequential metrics and, when given, the drift
   * watch (its 1-based position {@code sample} in the model's stream).
   */
  static void recordScored(
      ModelSpec spec,
      PrequentialMetrics metrics,
      DriftWatch drift,
      double weight,
      double loss,
      boolean correct,
      double error,
      long sample,
      long eventTime) {
    double right = spec.getTask() == Task.REGRESSION ? 0.0 : (correct ? 1.0 : 0.0);
    metrics.record(spec.getFadingFactor(), weight, loss, right, error);
    if (drift != null) {
      drift.observe(spec.getDrift(), loss, right == 1.0, sample, eventTime, metrics.fadedLoss());
    }
  }

  /**
   * Statistics of the per-sample loss gradients of {@code batch} at the state's current parameters,
   * for the adaptive batch tests. Changes nothing.
   */
  public static GradientStatistics statistics(LearnerState state, List<Sample> batch) {
    if (BatchSums.supports(state)) {
      return sums(state, batch, true).statistics(state);
    }
    return exactStatistics(state, batch);
  }

  /**
   * The statistics of {@link #statistics}, with the inner-product and orthogonal variances exact
   * (against the batch's own mean gradient) also where running sums estimate them: for tests and
   * experiments that compare the two.
   */
  public static GradientStatistics exactStatistics(LearnerState state, List<Sample> batch) {
    if (state.isSparse()) {
      SparseBatchView view = SparseBatchView.of(state, batch);
      return exactStatistics(view.state(), view.batch());
    }
    boolean dense = allDense(batch);
    Workspace ws = WORKSPACE.get();
    Forward fwd = forward(state, batch, dense, ws, null);
    return statistics(batch, fwd.g, state.model().outputs(), state.model().dimension(), dense, ws);
  }

  /**
   * Per-sample gradients are G_i = g_i (outer) [x_i; 1] for the score gradients g_i (k of them):
   * their sums need only ||x_i||^2 and x_i . gbar, so this is O(nnz), not O(n d).
   */
  private static GradientStatistics statistics(
      List<Sample> batch, double[] g, int k, int d, boolean dense, Workspace ws) {
    int n = batch.size();
    double inv = 1.0 / n;
    // mean gradient: weights (k x d, in a scratch array the sparse case clears again) and
    // intercepts
    double[] meanW = ws.meanGradient(k * d);
    SparseGradient touched = null;
    if (dense) {
      for (int i = 0; i < n; i++) {
        double[] x = batch.get(i).features().values();
        for (int j = 0; j < k; j++) {
          double gij = g[i * k + j] * inv;
          int o = j * d;
          for (int c = 0; c < d; c++) {
            meanW[o + c] += gij * x[c];
          }
        }
      }
    } else {
      touched = SparseGradient.of(batch, g, k, d, inv);
      for (int e = 0; e < touched.size; e++) {
        meanW[touched.index[e]] = touched.value[e];
      }
    }
    double[] meanB = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        meanB[j] += g[i * k + j] * inv;
      }
    }
    double norm2 = 0;
    if (dense) {
      for (int p = 0; p < k * d; p++) {
        norm2 += meanW[p] * meanW[p];
      }
    } else {
      for (int e = 0; e < touched.size; e++) {
        norm2 += touched.value[e] * touched.value[e];
      }
    }
    for (double b : meanB) {
      norm2 += b * b;
    }
    double sumSquares = 0;
    double ipDeviation = 0;
    double orthogonal = 0;
    for (int i = 0; i < n; i++) {
      FeatureVector f = batch.get(i).features();
      double x2 = f.squaredNorm() + 1.0; // the intercept's feature is 1
      double gi2 = 0;
      double a = 0; // G_i . gbar
      for (int j = 0; j < k; j++) {
        double gij = g[i * k + j];
        gi2 += gij * gij;
        a += gij * (f.dot(meanW, j * d) + meanB[j]);
      }
      double sq = gi2 * x2;
      sumSquares += sq;
      ipDeviation += (a - norm2) * (a - norm2);
      orthogonal += norm2 > 0 ? sq - a * a / norm2 : sq;
    }
    if (dense) {
      java.util.Arrays.fill(meanW, 0, k * d, 0.0);
    } else {
      for (int e = 0; e < touched.size; e++) {
        meanW[touched.index[e]] = 0.0;
      }
    }
    if (n < 2) {
      return new GradientStatistics(n, norm2, 0, 0, 0);
    }
    double traceVariance = Math.max(0.0, (sumSquares - n * norm2) / (n - 1));
    return new GradientStatistics(
        n, norm2, traceVariance, ipDeviation / (n - 1), Math.max(0.0, orthogonal / (n - 1)));
  }

  /**
   * Applies to every weight the batch touches the regularization of the updates it skipped since
   * its last touch, so that it stands where eager regularization would have left it.
   */
  private static void catchUpRegularization(
      LearnerState state, List<Sample> batch, Optimizer.Step step) {
    long[] touchedAt = state.ensureTouchedAt(step.t() - 1);
    double[] w = state.model().weights();
    int d = state.model().dimension();
    int k = state.model().outputs();
    for (Sample s : batch) {
      FeatureVector f = s.features();
      for (int e = 0; e < f.size(); e++) {
        for (int j = 0; j < k; j++) {
          int p = j * d + f.indexAt(e);
          long gap = step.t() - 1 - touchedAt[p];
          if (gap > 0) {
            w[p] = Regularization.catchUp(w[p], gap, step.learningRate(), step.l1(), step.l2());
            touchedAt[p] = step.t() - 1;
          }
        }
      }
    }
  }

  private static boolean allDense(List<Sample> batch) {
    for (Sample s : batch) {
      if (!s.features().isDense()) {
        return false;
      }
    }
    return true;
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /**
   * Scratch arrays reused from batch to batch on one thread (a trainer subtask), so the hot path
   * allocates nothing per sample. Every array is fully overwritten before it is read.
   */
  private static final class Workspace {
    private double[] scores = new double[0];
    private double[] gradients = new double[0];
    private double[] weightGradient = new double[0];
    private double[] meanGradient = new double[0];
    private final DMatrixRMaj design = new DMatrixRMaj(1, 1);

    /** A zeroed array; callers zero what they wrote before they return. */
    double[] meanGradient(int size) {
      if (meanGradient.length < size) {
        meanGradient = new double[size];
      }
      return meanGradient;
    }

    double[] scores(int size) {
      if (scores.length < size) {
        scores = new double[size];
      }
      return scores;
    }

    double[] gradients(int size) {
      if (gradients.length < size) {
        gradients = new double[size];
      }
      return gradients;
    }

    double[] weightGradient(int size) {
      if (weightGradient.length != size) {
        weightGradient = new double[size];
      }
      return weightGradient;
    }

    /** The batch as an n x d matrix (rows copied from the samples' dense vectors). */
    DMatrixRMaj design(List<Sample> batch, int d) {
      design.reshape(batch.size(), d, false);
      double[] data = design.data;
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(batch.get(i).features().values(), 0, data, i * d, d);
      }
      return design;
    }
  }
}
