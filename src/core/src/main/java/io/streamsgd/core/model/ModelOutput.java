package io.streamsgd.core.model;

/**
 * What a model says about one feature vector.
 *
 * @param score the raw score of the first output (binary and regression), or of the predicted class
 *     (multiclass)
 * @param value the regression value; for binary models P(y = 1) when the loss gives probabilities
 *     (logistic, modified Huber) and the decision value otherwise (hinge); for multiclass the
 *     probability of the predicted class
 * @param predictedClass the predicted class for classifiers, -1 for regression
 * @param probabilities class probabilities of a multiclass model, or null
 */
public record ModelOutput(double score, double value, int predictedClass, double[] probabilities) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelOutput p
        && Double.compare(score, p.score) == 0
        && Double.compare(value, p.value) == 0
        && predictedClass == p.predictedClass
        && java.util.Arrays.equals(probabilities, p.probabilities);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(score) * 31 + predictedClass;
  }

  @Override
  public String toString() {
    return "ModelOutput{score="
        + score
        + ", value="
        + value
        + ", class="
        + predictedClass
        + (probabilities == null
            ? ""
            : ", probabilities=" + java.util.Arrays.toString(probabilities))
        + "}";
  }
}
