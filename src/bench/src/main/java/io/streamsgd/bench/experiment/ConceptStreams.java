package io.streamsgd.bench.experiment;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic streams whose concept changes at a known sample: features x ~ N(0, I_d), a label
 * drawn from the old concept up to the change point and from the new one after it. An abrupt change
 * switches at once; a gradual one draws each sample's label from the new concept with a probability
 * that rises linearly from 0 to 1 over {@code ramp} samples (the blend of two concepts that the
 * drift literature calls gradual drift), so the detectors see a slowly rising loss rather than a
 * step.
 */
final class ConceptStreams {
  /**
   * A stream and where it changes: {@code change} samples follow the old concept, so position
   * {@code change + 1} is the first changed one; {@code ramp} is 1 for an abrupt change.
   */
  record Stream(
      String id, String title, boolean classifier, List<Sample> samples, long change, int ramp) {}

  static final int DIMENSION = 10;

  /** Classifier weights' scale: |w| is about 3, so about 10% of labels disagree with sign(w.x). */
  static final double CLASSIFIER_SCALE = 3.0 / Math.sqrt(DIMENSION);

  static final double REGRESSION_NOISE = 0.5;
  static final double REGRESSION_INTERCEPT = 0.5;

  /** The regression's change draws these first coefficients anew and keeps the others. */
  static final int CHANGED_COEFFICIENTS = DIMENSION / 2;

  private ConceptStreams() {}

  /**
   * Logistic labels, P(y = 1) = sigmoid(w.x), whose concept flips at the change: w becomes -w, so
   * what was likely 1 becomes likely 0.
   */
  static Stream flippingClassifier(int samples, long change, int ramp, long seed) {
    Random rnd = new Random(seed);
    double[] before = gaussians(rnd, DIMENSION, CLASSIFIER_SCALE);
    double[] after = new double[DIMENSION];
    for (int j = 0; j < DIMENSION; j++) {
      after[j] = -before[j];
    }
    List<Sample> out = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      double[] x = gaussians(rnd, DIMENSION, 1.0);
      double[] w = rnd.nextDouble() < newConceptShare(i + 1, change, ramp) ? after : before;
      double p = 1.0 / (1.0 + Math.exp(-dot(w, x)));
      out.add(sample(x, rnd.nextDouble() < p ? 1.0 : 0.0, i));
    }
    return new Stream(
        ramp > 1 ? "classifier-gradual" : "classifier-abrupt",
        ramp > 1 ? "Classifier, gradual flip" : "Classifier, abrupt flip",
        true,
        out,
        change,
        ramp);
  }

  /**
   * y = w.x + 0.5 + N(0, 0.5^2), whose first {@link #CHANGED_COEFFICIENTS} coefficients are drawn
   * anew at the change (the others keep their values, so the old model stays half right).
   */
  static Stream changingRegression(int samples, long change, int ramp, long seed) {
    Random rnd = new Random(seed);
    double[] before = gaussians(rnd, DIMENSION, 1.0);
    double[] after = before.clone();
    for (int j = 0; j < CHANGED_COEFFICIENTS; j++) {
      after[j] = rnd.nextGaussian();
    }
    List<Sample> out = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      double[] x = gaussians(rnd, DIMENSION, 1.0);
      double[] w = rnd.nextDouble() < newConceptShare(i + 1, change, ramp) ? after : before;
      double y = dot(w, x) + REGRESSION_INTERCEPT + REGRESSION_NOISE * rnd.nextGaussian();
      out.add(sample(x, y, i));
    }
    return new Stream(
        ramp > 1 ? "regression-gradual" : "regression-abrupt",
        ramp > 1
            ? "Regression, gradual coefficient change"
            : "Regression, abrupt coefficient change",
        false,
        out,
        change,
        ramp);
  }

  /**
   * The probability that the sample at 1-based {@code position} follows the new concept: 0 up to
   * the change, then rising by 1/ramp a sample (1 at once for a ramp of 1).
   */
  static double newConceptShare(long position, long change, int ramp) {
    if (position <= change) {
      return 0.0;
    }
    return Math.min(1.0, (position - change) / (double) ramp);
  }

  private static Sample sample(double[] x, double label, long i) {
    return new Sample("drift", FeatureVector.dense(x), label, 1.0, i, Sample.Origin.UNKNOWN);
  }

  private static double[] gaussians(Random rnd, int d, double scale) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      v[j] = scale * rnd.nextGaussian();
    }
    return v;
  }

  private static double dot(double[] w, double[] x) {
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * x[j];
    }
    return s;
  }
}
