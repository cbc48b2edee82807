package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;

/**
 * Checks a sample before it may join a batch. One bad sample must never poison a model, so anything
 * a batch could not digest (non-finite numbers, wrong shapes, labels outside the task's domain) is
 * caught here and becomes a dead letter with its reason.
 */
public final class SampleValidator {

  private SampleValidator() {}

  /** A sample ready for a model, or why it is not. Exactly one of the two is non-null. */
  public record Fitted(Sample sample, Rejection rejection) {}

  /** Checks that need no spec: finite numbers and well-formed sparse indices. */
  public static Rejection checkIntrinsic(Sample s) {
    if (!Double.isFinite(s.label())) {
      return new Rejection(DeadLetterReason.NON_FINITE_LABEL, "label is " + s.label());
    }
    if (!Double.isFinite(s.weight()) || s.weight() < 0) {
      return new Rejection(
          DeadLetterReason.NON_FINITE_WEIGHT, "weight must be finite and >= 0, got " + s.weight());
    }
    FeatureVector f = s.features();
    if (f.kind() != FeatureVector.Kind.SPARSE && allFinite(f.values())) {
      return null; // dense and hashed vectors: no index to check
    }
    int previous = -1;
    for (int i = 0; i < f.size(); i++) {
      double v = f.valueAt(i);
      if (!Double.isFinite(v)) {
        return new Rejection(
            DeadLetterReason.NON_FINITE_FEATURE, "feature " + f.indexAt(i) + " is " + v);
      }
      if (f.kind() == FeatureVector.Kind.SPARSE) {
        int idx = f.indexAt(i);
        if (idx < 0) {
          return new Rejection(DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE, "negative index " + idx);
        }
        if (idx <= previous) {
          return new Rejection(
              DeadLetterReason.SPARSE_INDICES_UNSORTED,
              "indices must be strictly increasing; " + idx + " follows " + previous);
        }
        previous = idx;
      }
    }
    return null;
  }

  /**
   * Whether every value is finite, without a branch per value: v * 0 is 0 for a finite v and NaN
   * for an infinite or NaN one, and a NaN stays in the sum (every sample passes through here).
   */
  private static boolean allFinite(double[] values) {
    double probe = 0.0;
    for (double v : values) {
      probe += v * 0.0;
    }
    return probe == 0.0;
  }

  /**
   * Fits a sample (whose intrinsic checks passed) to a model's spec: folds named features into its
   * 2^hashBits buckets, then checks dimension, index range and the label's domain.
   */
  public static Fitted fit(Sample s, ModelSpec spec) {
    if (!Double.isFinite(s.label())) { // O(1): also guards samples that did not pass the decoder
      return rejected(DeadLetterReason.NON_FINITE_LABEL, "label is " + s.label());
    }
    if (!Double.isFinite(s.weight()) || s.weight() < 0) {
      return rejected(
          DeadLetterReason.NON_FINITE_WEIGHT, "weight must be finite and >= 0, got " + s.weight());
    }
    FeatureVector f = s.features();
    if (f.isHashed()) {
      if (spec.getHashBits() <= 0) {
        return rejected(
            DeadLetterReason.NAMED_FEATURES_NOT_HASHED,
            "model " + spec.getModelId() + " has no hashBits for named features");
      }
      s = s.withFeatures(f.fold(spec.getHashBits()));
      f = s.features();
    }
    int d = spec.getFeatureDimension();
    if (f.isDense()) {
      if (f.size() != d) {
        return rejected(
            DeadLetterReason.WRONG_DIMENSION,
            "model expects " + d + " dense features, got " + f.size());
      }
    } else if (f.size() > 0 && f.indexAt(f.size() - 1) >= d) {
      return rejected(
          DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE,
          "index " + f.indexAt(f.size() - 1) + " outside [0, " + d + ")");
    }
    double y = s.label();
    switch (spec.getTask()) {
      case BINARY:
        if (y != 0.0 && y != 1.0) {
          return rejected(
              DeadLetterReason.LABEL_OUT_OF_DOMAIN, "binary label must be 0 or 1, got " + y);
        }
        break;
      case MULTICLASS:
        if (y != Math.rint(y) || y < 0 || y >= spec.getNumClasses()) {
          return rejected(
              DeadLetterReason.LABEL_OUT_OF_DOMAIN,
              "class label must be an integer in [0, " + spec.getNumClasses() + "), got " + y);
        }
        break;
      default:
        break;
    }
    return new Fitted(s, null);
  }

  private static Fitted rejected(DeadLetterReason reason, String detail) {
    return new Fitted(null, new Rejection(reason, detail));
  }
}
