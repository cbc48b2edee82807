package io.streamsgd.core.model;

/**
 * What a model says about one feature vector.
 *
 * @param score the raw margin (first output)
 * @param value the regression value, or the positive-class probability for binary models
 * @param predictedClass the predicted class for classifiers, -1 for regression
 */
public record Prediction(double score, double value, int predictedClass) {}
