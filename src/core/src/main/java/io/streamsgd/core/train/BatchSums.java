package io.streamsgd.core.train;

import io.streamsgd.core.batch.GradientStatistics;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import java.util.Arrays;

/**
 * An open minibatch kept as running sums instead of its samples. The model does not change while
 * its batch is open, so each sample is scored and differentiated when it arrives, and only what the
 * step and the batch tests need stays: the weighted gradient sum (k x d weights, k intercepts), the
 * loss and weight sums, the event-time span, the sums of the adaptive tests' statistics and, per
 * sample, the five numbers its prequential metrics and drift detector take in stream order. That is
 * O(k d + n) per model instead of O(n d), whatever the batch size.
 *
 * <p>The norm test's statistics are exact running sums. The inner-product and orthogonality tests
 * need {@code sum_i a_i^2} for {@code a_i = G_i . gbar} against the batch's final mean gradient,
 * which would take the d x d second moment. Writing {@code gbar = G_i / n + (n-1)/n gbar_-i}, the
 * first part, a sample's own share, is exact ({@code ||G_i||^2 / n}), and the mean of the other
 * samples is taken along a reference direction u that stays fixed while the batch is open, the
 * previous batch's mean gradient ({@link LearnerState#direction()}): {@code a_i ~ ||G_i||^2 / n +
 * (n-1)/n (gbar_-i . u)(G_i . u)}, a quadratic in the mean projection whose coefficients are
 * running sums. It is exact when the gradients lie along u; on the batch-policy experiment it
 * chooses batch sizes within 10 % of the exact statistics' (docs/batch-policies.md). Without a
 * reference (a model's first batch), the tests use the bounds {@code Var(G_i . gbar) <= ||gbar||^2
 * tr(Var)} and {@code Var_orth <= tr(Var)}, so they are at least as strict as the exact ones.
 *
 * <p>Only models whose step needs nothing but these sums accumulate ({@link #supports}): dense
 * storage (a sparse model's samples are no bigger than their sums), no lazy regularization, no loss
 * check in the divergence guard and no drift reaction that retrains on the batch. Every sum is
 * formed in arrival order, so replays give the same bits.
 */
public final class BatchSums {
  private int n;
  private double weightSum;
  private double lossSum;
  private long tMin = Long.MAX_VALUE;
  private long tMax = Long.MIN_VALUE;
  private final int k;
  private final int d;
  private final boolean withStatistics; // whether the adaptive tests' sums are formed
  private final double[] gradW; // sum of w_i g_ij x_i, k x d row-major
  private final double[] gradB; // sum of w_i g_ij
  private boolean[] touched; // columns some sparse sample had, null while all samples are dense
  private double sumSquares; // sum of ||G_i||^2
  private double sumProjection; // sum of G_i . r / ||r||, for the reference direction r
  private double sumProjectionSquares;
  private double sumResidualSquares; // sum of (||G_i||^2 - p_i^2)^2
  private double sumResidualProjection; // sum of p_i (||G_i||^2 - p_i^2)
  // Per sample, in arrival order: what its prequential metrics and drift detector record.
  private double[] sampleWeight;
  private double[] sampleLoss;
  private double[] sampleError;
  private long[] sampleTime;
  private boolean[] sampleCorrect;

  // Scratch for one sample's scores and score gradients.
  private final double[] z;
  private final double[] g;

  /**
   * An empty batch for a model of k outputs over d features; the test statistics' sums are formed
   * {@code withStatistics}.
   */
  public BatchSums(int k, int d, boolean withStatistics) {
    this.k = k;
    this.d = d;
    this.withStatistics = withStatistics;
    this.gradW = new double[k * d];
    this.gradB = new double[k];
    this.z = new double[k];
    this.g = new double[k];
    int capacity = 8;
    sampleWeight = new double[capacity];
    sampleLoss = new double[capacity];
    sampleError = new double[capacity];
    sampleTime = new long[capacity];
    sampleCorrect = new boolean[capacity];
  }

  /** An empty batch for {@code state}'s model, with statistics when its policy needs them. */
  public static BatchSums open(LearnerState state) {
    return open(state, state.compiled().batchPolicy().needsStatistics());
  }

  static BatchSums open(LearnerState state, boolean withStatistics) {
    LinearModel m = state.model();
    return new BatchSums(m.outputs(), m.dimension(), withStatistics);
  }

  /** Whether {@code state}'s batches can be kept as sums (see the class comment). */
  public static boolean supports(LearnerState state) {
    return !state.isSparse() && supports(state.spec(), state.compiled());
  }

  /**
   * Whether models of {@code spec} keep their batches as sums (those stored sparse, as the shape
   * decides, do not).
   */
  public static boolean supports(ModelSpec spec, CompiledSpec compiled) {
    if (compiled.shape().sparseStorage()) {
      return false;
    }
    if (spec.getDivergenceGuard().getLossFactor() > 0) {
      return false; // the loss after the step is the batch's loss: it needs the samples
    }
    if (spec.getDrift() != null && spec.getDrift().getReaction() != DriftReaction.REPORT) {
      return false; // a reset or a background model scores or trains on the batch again
    }
    boolean penalized =
        spec.getRegularization().getL1() > 0 || spec.getRegularization().getL2() > 0;
    return !(penalized && compiled.optimizer().needsLazyRegularization());
  }

  /**
   * Scores {@code s} with {@code state}'s parameters (the prequential test) and adds its gradient;
   * {@code s} must fit the state's spec (see {@link SampleValidator}).
   */
  public void add(LearnerState state, Sample s) {
    LinearModel model = state.model();
    double[] weights = model.weights();
    double[] intercepts = model.intercepts();
    FeatureVector f = s.features();
    for (int j = 0; j < k; j++) {
      z[j] = f.dot(weights, j * d) + intercepts[j];
    }
    LossFunction loss = state.compiled().loss();
    boolean regression = state.spec().getTask() == Task.REGRESSION;
    double l = loss.lossAndGradient(z, 0, k, s.label(), g, 0);
    boolean correct = !regression && loss.predictedClass(z, 0, k) == (int) s.label();
    double w = s.weight();
    record(w, l, correct, regression ? z[0] - s.label() : 0.0, s.eventTime());
    double gi2 = 0;
    for (int j = 0; j < k; j++) {
      double gj = g[j] * w;
      g[j] = gj;
      gi2 += gj * gj;
      gradB[j] += gj;
    }
    if (f.isDense()) {
      double[] x = f.values();
      for (int j = 0; j < k; j++) {
        double gj = g[j];
        int o = j * d;
        for (int c = 0; c < d; c++) {
          gradW[o + c] += gj * x[c];
        }
      }
      if (touched != null) {
        Arrays.fill(touched, true);
      }
    } else {
      if (touched == null) {
        touched = new boolean[d];
        Arrays.fill(touched, n > 0); // the dense samples before touched every column
      }
      for (int e = 0; e < f.size(); e++) {
        int c = f.indexAt(e);
        double v = f.valueAt(e);
        for (int j = 0; j < k; j++) {
          gradW[j * d + c] += g[j] * v;
        }
        touched[c] = true;
      }
    }
    weightSum += w;
    lossSum += w * l;
    tMin = Math.min(tMin, s.eventTime());
    tMax = Math.max(tMax, s.eventTime());
    if (withStatistics) {
      double q = gi2 * (f.squaredNorm() + 1.0); // ||G_i||^2; the intercept's feature is 1
      sumSquares += q;
      double[] r = state.direction();
      if (r != null && state.compiled().batchPolicy().usesInnerProducts()) {
        double p = 0;
        for (int j = 0; j < k; j++) {
          p += g[j] * (f.dot(r, j * d) + r[k * d + j]);
        }
        p /= state.directionNorm();
        sumProjection += p;
        sumProjectionSquares += p * p;
        sumResidualSquares += (q - p * p) * (q - p * p);
        sumResidualProjection += p * (q - p * p);
      }
    }
    n++;
  }

  private void record(double w, double l, boolean correct, double error, long time) {
    if (n == sampleWeight.length) {
      int capacity = n * 2;
      sampleWeight = Arrays.copyOf(sampleWeight, capacity);
      sampleLoss = Arrays.copyOf(sampleLoss, capacity);
      sampleError = Arrays.copyOf(sampleError, capacity);
      sampleTime = Arrays.copyOf(sampleTime, capacity);
      sampleCorrect = Arrays.copyOf(sampleCorrect, capacity);
    }
    sampleWeight[n] = w;
    sampleLoss[n] = l;
    sampleError[n] = error;
    sampleTime[n] = time;
    sampleCorrect[n] = correct;
  }

  /**
   * The adaptive tests' statistics of the batch so far (see the class comment for the inner-product
   * ones); {@code hasReference} says whether the projections were taken.
   */
  public GradientStatistics statistics(boolean hasReference) {
    if (!withStatistics) {
      throw new IllegalStateException("a batch without the tests' sums");
    }
    double inv = 1.0 / n;
    double norm2 = 0;
    for (double v : gradW) {
      double m = v * inv;
      norm2 += m * m;
    }
    for (double v : gradB) {
      double m = v * inv;
      norm2 += m * m;
    }
    if (n < 2) {
      return new GradientStatistics(n, norm2, 0, 0, 0);
    }
    double trace = Math.max(0.0, (sumSquares - n * norm2) / (n - 1));
    if (!hasReference) {
      return new GradientStatistics(n, norm2, trace, norm2 * trace, trace);
    }
    // n a_i = (q_i - p_i^2) + n pbar p_i, with q_i = ||G_i||^2 and pbar the mean projection
    double pbar = sumProjection * inv;
    double sumA = ((sumSquares - sumProjectionSquares) + n * pbar * sumProjection) * inv;
    double sumA2 =
        (sumResidualSquares
                + 2 * n * pbar * sumResidualProjection
                + (double) n * n * pbar * pbar * sumProjectionSquares)
            * inv
            * inv;
    double innerProduct = Math.max(0.0, (sumA2 - sumA * sumA * inv) / (n - 1));
    double orthogonal = norm2 > 0 ? Math.max(0.0, (sumSquares - sumA2 / norm2) / (n - 1)) : trace;
    return new GradientStatistics(n, norm2, trace, innerProduct, orthogonal);
  }

  /** The batch's statistics for {@code state}'s policy (see {@link #statistics(boolean)}). */
  public GradientStatistics statistics(LearnerState state) {
    return statistics(
        state.direction() != null && state.compiled().batchPolicy().usesInnerProducts());
  }

  /**
   * Replays the samples' prequential records into {@code state}'s metrics and drift watch, in
   * arrival order, as scoring the held batch did.
   */
  void recordMetrics(LearnerState state) {
    DriftWatch drift = state.drift();
    long seen = state.samplesSeen();
    for (int i = 0; i < n; i++) {
      MinibatchUpdate.recordScored(
          state.spec(),
          state.metrics(),
          drift,
          sampleWeight[i],
          sampleLoss[i],
          sampleCorrect[i],
          sampleError[i],
          seen + i + 1,
          sampleTime[i]);
    }
  }

  /**
   * The touched weight coordinates ({@code j * d + c}, increasing) when some sample was sparse;
   * null when every sample was dense (all coordinates).
   */
  int[] touchedCoordinates() {
    if (touched == null) {
      return null;
    }
    int columns = 0;
    for (boolean t : touched) {
      columns += t ? 1 : 0;
    }
    int[] out = new int[columns * k];
    int e = 0;
    for (int j = 0; j < k; j++) {
      for (int c = 0; c < d; c++) {
        if (touched[c]) {
          out[e++] = j * d + c;
        }
      }
    }
    return out;
  }

  public int size() {
    return n;
  }

  public int outputs() {
    return k;
  }

  public int dimension() {
    return d;
  }

  public double weightSum() {
    return weightSum;
  }

  public double lossSum() {
    return lossSum;
  }

  public long eventTimeMin() {
    return tMin;
  }

  public long eventTimeMax() {
    return tMax;
  }

  /** Event time of the latest sample. */
  public long lastEventTime() {
    return sampleTime[n - 1];
  }

  /** The weight gradient sum (k x d); read-only for all but serializers. */
  public double[] weightGradientSum() {
    return gradW;
  }

  public double[] interceptGradientSum() {
    return gradB;
  }

  public boolean withStatistics() {
    return withStatistics;
  }

  /** The columns a sparse sample had (length d), null while all samples were dense. */
  public boolean[] touchedColumns() {
    return touched;
  }

  public double sumSquares() {
    return sumSquares;
  }

  public double sumProjection() {
    return sumProjection;
  }

  public double sumProjectionSquares() {
    return sumProjectionSquares;
  }

  public double sumResidualSquares() {
    return sumResidualSquares;
  }

  public double sumResidualProjection() {
    return sumResidualProjection;
  }

  /** Per-sample record i: weight, loss, error, event time, correct. */
  public double sampleWeight(int i) {
    return sampleWeight[i];
  }

  public double sampleLoss(int i) {
    return sampleLoss[i];
  }

  public double sampleError(int i) {
    return sampleError[i];
  }

  public long sampleTime(int i) {
    return sampleTime[i];
  }

  public boolean sampleCorrect(int i) {
    return sampleCorrect[i];
  }

  /**
   * Restores a batch from its parts (serializers): the sums, the columns sparse samples touched
   * (null when all were dense) and the per-sample records.
   */
  public static BatchSums restore(
      int k,
      int d,
      boolean withStatistics,
      double weightSum,
      double lossSum,
      long tMin,
      long tMax,
      double[] gradW,
      double[] gradB,
      boolean[] touched,
      double sumSquares,
      double sumProjection,
      double sumProjectionSquares,
      double sumResidualSquares,
      double sumResidualProjection,
      double[] weights,
      double[] losses,
      double[] errors,
      long[] times,
      boolean[] correct) {
    BatchSums s = new BatchSums(k, d, withStatistics);
    s.n = weights.length;
    s.weightSum = weightSum;
    s.lossSum = lossSum;
    s.tMin = tMin;
    s.tMax = tMax;
    System.arraycopy(gradW, 0, s.gradW, 0, k * d);
    System.arraycopy(gradB, 0, s.gradB, 0, k);
    s.touched = touched == null ? null : touched.clone();
    s.sumSquares = sumSquares;
    s.sumProjection = sumProjection;
    s.sumProjectionSquares = sumProjectionSquares;
    s.sumResidualSquares = sumResidualSquares;
    s.sumResidualProjection = sumResidualProjection;
    int capacity = Math.max(8, s.n);
    s.sampleWeight = Arrays.copyOf(weights, capacity);
    s.sampleLoss = Arrays.copyOf(losses, capacity);
    s.sampleError = Arrays.copyOf(errors, capacity);
    s.sampleTime = Arrays.copyOf(times, capacity);
    s.sampleCorrect = Arrays.copyOf(correct, capacity);
    return s;
  }

  /** A deep copy. */
  public BatchSums copy() {
    return restore(
        k,
        d,
        withStatistics,
        weightSum,
        lossSum,
        tMin,
        tMax,
        gradW,
        gradB,
        touchedColumns(),
        sumSquares,
        sumProjection,
        sumProjectionSquares,
        sumResidualSquares,
        sumResidualProjection,
        Arrays.copyOf(sampleWeight, n),
        Arrays.copyOf(sampleLoss, n),
        Arrays.copyOf(sampleError, n),
        Arrays.copyOf(sampleTime, n),
        Arrays.copyOf(sampleCorrect, n));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BatchSums b)) {
      return false;
    }
    return n == b.n
        && k == b.k
        && d == b.d
        && withStatistics == b.withStatistics
        && Double.compare(weightSum, b.weightSum) == 0
        && Double.compare(lossSum, b.lossSum) == 0
        && tMin == b.tMin
        && tMax == b.tMax
        && Arrays.equals(gradW, b.gradW)
        && Arrays.equals(gradB, b.gradB)
        && Arrays.equals(touched, b.touched)
        && Double.compare(sumSquares, b.sumSquares) == 0
        && Double.compare(sumProjection, b.sumProjection) == 0
        && Double.compare(sumProjectionSquares, b.sumProjectionSquares) == 0
        && Double.compare(sumResidualSquares, b.sumResidualSquares) == 0
        && Double.compare(sumResidualProjection, b.sumResidualProjection) == 0
        && Arrays.equals(sampleWeight, 0, n, b.sampleWeight, 0, n)
        && Arrays.equals(sampleLoss, 0, n, b.sampleLoss, 0, n)
        && Arrays.equals(sampleError, 0, n, b.sampleError, 0, n)
        && Arrays.equals(sampleTime, 0, n, b.sampleTime, 0, n)
        && Arrays.equals(sampleCorrect, 0, n, b.sampleCorrect, 0, n);
  }

  @Override
  public int hashCode() {
    return n * 31 + Double.hashCode(lossSum);
  }

  @Override
  public String toString() {
    return "BatchSums{n=" + n + ", " + k + "x" + d + ", weightSum=" + weightSum + "}";
  }
}
