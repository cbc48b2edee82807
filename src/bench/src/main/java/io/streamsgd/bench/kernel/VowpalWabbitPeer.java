package io.streamsgd.bench.kernel;

import org.vowpalwabbit.spark.VowpalWabbitExample;
import org.vowpalwabbit.spark.VowpalWabbitNative;
import org.vowpalwabbit.spark.prediction.ScalarPrediction;

/**
 * Vowpal Wabbit (9.3.0, through its JNI library) on the same examples, fed as dense feature arrays
 * through VW's native example API (no text parsing): logistic loss and link, its default adaptive,
 * normalized, invariant updates. Each example is predicted before it is learned, so the mean of
 * those losses is VW's progressive validation loss.
 */
public final class VowpalWabbitPeer {
  public static final String ARGS = "--loss_function logistic --link logistic -b 18 --quiet";

  private final LogisticData data;

  public VowpalWabbitPeer(LogisticData data) {
    this.data = data;
  }

  /** One pass over the data from a fresh model; returns the progressive mean log loss. */
  public double pass() throws Exception {
    double[] x = new double[data.d];
    double loss = 0;
    try (VowpalWabbitNative vw = new VowpalWabbitNative(ARGS);
        VowpalWabbitExample example = vw.createExample()) {
      for (int i = 0; i < data.n; i++) {
        System.arraycopy(data.x, i * data.d, x, 0, data.d);
        example.clear();
        example.setLabel(1f, data.y[i] > 0.5 ? 1f : -1f);
        example.addToNamespaceDense('a', 0, x);
        example.learn();
        loss +=
            LogisticData.logLoss(
                ((ScalarPrediction) example.getPrediction()).getValue(), data.y[i]);
      }
    }
    return loss / data.n;
  }
}
