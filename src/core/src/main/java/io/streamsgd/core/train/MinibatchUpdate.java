package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.optim.Optimizer;
import io.streamsgd.schema.ModelSpec;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One minibatch step on a {@link LearnerState}: score every sample with the current parameters
 * (this is the prequential test: the model has not seen the batch yet), form the weighted mean
 * gradient, add the L2 term and let the optimizer update the parameters.
 *
 * <p>For dense batches the two matrix products (scores {@code S = X W^T}, gradient {@code G =
 * R^T X}) run through EJML; sparse batches loop over the non-zeros only.
 *
 * <p>The arithmetic depends only on the state and the batch, in order, so replaying the same
 * batches gives bit-identical parameters.
 */
public final class MinibatchUpdate {

  private MinibatchUpdate() {}

  public static BatchResult apply(LearnerState state, List<Sample> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("cannot apply an empty batch");
    }
    ModelSpec spec = state.spec();
    LossFunction loss = LossFunction.of(spec.getLoss());
    LinearModel model = state.model();
    int n = batch.size();
    int d = model.dimension();
    int k = model.outputs();
    if (k != 1) {
      // Every loss so far scores one output; the validator refuses specs that need more.
      throw new IllegalArgumentException("model " + spec.getModelId() + " has " + k + " outputs; losses here score one");
    }

    double[] scores = new double[n * k];
    boolean dense = allDense(batch);
    DMatrixRMaj x = null;
    if (dense) {
      x = denseDesign(batch, d);
      DMatrixRMaj w = DMatrixRMaj.wrap(k, d, model.weights());
      CommonOps_DDRM.multTransB(x, w, DMatrixRMaj.wrap(n, k, scores));
    } else {
      for (int i = 0; i < n; i++) {
        FeatureVector f = batch.get(i).features();
        for (int j = 0; j < k; j++) {
          scores[i * k + j] = f.dot(model.weights(), j * d);
        }
      }
    }

    // Forward pass: prequential loss and d loss / d margin per sample, weighted.
    double[] residuals = scores; // reused in place: each score is read once before it is replaced
    double[] intercepts = model.intercepts();
    double weightSum = 0.0;
    double lossSum = 0.0;
    long tMin = Long.MAX_VALUE;
    long tMax = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      Sample s = batch.get(i);
      double weight = s.weight();
      double margin = scores[i * k] + intercepts[0];
      lossSum += weight * loss.value(margin, s.label());
      residuals[i * k] = weight * loss.derivative(margin, s.label());
      weightSum += weight;
      tMin = Math.min(tMin, s.eventTime());
      tMax = Math.max(tMax, s.eventTime());
    }

    if (weightSum > 0.0) {
      double[] gradW = new double[k * d];
      double[] gradB = new double[k];
      if (dense) {
        CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(n, k, residuals), x, DMatrixRMaj.wrap(k, d, gradW));
      } else {
        for (int i = 0; i < n; i++) {
          FeatureVector f = batch.get(i).features();
          for (int j = 0; j < k; j++) {
            f.addScaledTo(gradW, j * d, residuals[i * k + j]);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          gradB[j] += residuals[i * k + j];
        }
      }
      double inv = 1.0 / weightSum;
      double l2 = spec.getRegularization().getL2();
      double[] w = model.weights();
      for (int i = 0; i < gradW.length; i++) {
        gradW[i] = gradW[i] * inv + l2 * w[i];
      }
      for (int j = 0; j < k; j++) {
        gradB[j] *= inv;
      }
      Optimizer.of(spec.getOptimizer()).apply(model, gradW, gradB, state.slots(), state.version() + 1);
    }
    state.recordBatch(n, lossSum, weightSum);
    return new BatchResult(n, weightSum, lossSum, tMin, tMax);
  }

  private static boolean allDense(List<Sample> batch) {
    for (Sample s : batch) {
      if (!s.features().isDense()) {
        return false;
      }
    }
    return true;
  }

  private static DMatrixRMaj denseDesign(List<Sample> batch, int d) {
    DMatrixRMaj x = new DMatrixRMaj(batch.size(), d);
    double[] data = x.data;
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).features().values(), 0, data, i * d, d);
    }
    return x;
  }
}
