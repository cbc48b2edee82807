package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;

/**
 * Checks a sample against the spec of its model. One rejected sample must never poison a model,
 * so anything that a batch could not digest (non-finite numbers, wrong shapes, labels outside
 * the task's domain) is caught here.
 */
public final class SampleValidator {

  private SampleValidator() {}

  /** Checks that do not need a spec: finite numbers and well-formed sparse indices. */
  public static Rejection checkIntrinsic(Sample s) {
    if (!Double.isFinite(s.label())) {
      return new Rejection(DeadLetterReason.NON_FINITE_LABEL, "label is " + s.label());
    }
    if (!Double.isFinite(s.weight()) || s.weight() < 0) {
      return new Rejection(DeadLetterReason.NON_FINITE_WEIGHT, "weight must be finite and >= 0, got " + s.weight());
    }
    FeatureVector f = s.features();
    int previous = -1;
    for (int i = 0; i < f.size(); i++) {
      double v = f.valueAt(i);
      if (!Double.isFinite(v)) {
        return new Rejection(DeadLetterReason.NON_FINITE_FEATURE, "feature " + f.indexAt(i) + " is " + v);
      }
      if (!f.isDense()) {
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

  /** Checks that need the model's spec: dimension, index range, label domain. */
  public static Rejection checkAgainst(Sample s, ModelSpec spec) {
    FeatureVector f = s.features();
    int d = spec.getFeatureDimension();
    if (f.isDense()) {
      if (f.size() != d) {
        return new Rejection(DeadLetterReason.WRONG_DIMENSION, "model expects " + d + " dense features, got " + f.size());
      }
    } else if (f.size() > 0 && f.indexAt(f.size() - 1) >= d) {
      return new Rejection(
          DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE,
          "index " + f.indexAt(f.size() - 1) + " outside [0, " + d + ")");
    }
    switch (spec.getTask()) {
      case BINARY:
        if (s.label() != 0.0 && s.label() != 1.0) {
          return new Rejection(DeadLetterReason.LABEL_OUT_OF_DOMAIN, "binary label must be 0 or 1, got " + s.label());
        }
        break;
      case MULTICLASS:
        double y = s.label();
        if (y != Math.rint(y) || y < 0 || y >= spec.getNumClasses()) {
          return new Rejection(
              DeadLetterReason.LABEL_OUT_OF_DOMAIN,
              "class label must be an integer in [0, " + spec.getNumClasses() + "), got " + y);
        }
        break;
      default:
        break;
    }
    return null;
  }
}
