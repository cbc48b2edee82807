package io.streamsgd.core.optim;

/**
 * The proximal steps of the penalties {@code 0.5 l2 ||w||^2 + l1 ||w||_1}.
 *
 * <p>Sparse batches touch few coordinates; the others are regularized lazily: on a coordinate's
 * next touch, the steps it skipped are applied at once ({@link #catchUp}). For plain SGD with a
 * constant rate this is exactly what eager regularization would have done with L2 alone ({@code (1
 * - eta l2)^gap}) and with L1 alone (truncation by {@code gap eta l1}, Tsuruoka et al. 2009); with
 * both, shrinking comes before truncation. Adaptive optimizers' moments are not advanced for
 * skipped steps (as in "lazy" Adam).
 */
public final class Regularization {
  private Regularization() {}

  /** {@code sign(w) max(0, |w| - threshold)}: the proximal operator of {@code threshold |w|}. */
  public static double softThreshold(double w, double threshold) {
    if (w > threshold) {
      return w - threshold;
    }
    if (w < -threshold) {
      return w + threshold;
    }
    return 0.0;
  }

  /**
   * A weight after {@code gap} skipped steps of regularization alone, each with rate {@code eta}.
   */
  public static double catchUp(double w, long gap, double eta, double l1, double l2) {
    if (gap <= 0 || w == 0.0) {
      return w;
    }
    if (l2 > 0) {
      w *= Math.pow(1.0 - eta * l2, gap);
    }
    if (l1 > 0) {
      w = softThreshold(w, gap * eta * l1);
    }
    return w;
  }
}
