package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import java.util.Objects;

/**
 * One decoded training example for one model, and where it was read from (so that a record rejected
 * late can still be traced back to its source).
 */
public final class Sample {
  private final String modelId;
  private final FeatureVector features;
  private final double label;
  private final double weight;
  private final long eventTime;
  private final Origin origin;

  public Sample(
      String modelId,
      FeatureVector features,
      double label,
      double weight,
      long eventTime,
      Origin origin) {
    this.modelId = Objects.requireNonNull(modelId, "modelId");
    this.features = Objects.requireNonNull(features, "features");
    this.label = label;
    this.weight = weight;
    this.eventTime = eventTime;
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  public String modelId() {
    return modelId;
  }

  public FeatureVector features() {
    return features;
  }

  public double label() {
    return label;
  }

  public double weight() {
    return weight;
  }

  /** Event time in epoch milliseconds. */
  public long eventTime() {
    return eventTime;
  }

  public Origin origin() {
    return origin;
  }

  /** This sample with other features (e.g. named features folded into a model's buckets). */
  public Sample withFeatures(FeatureVector other) {
    return new Sample(modelId, other, label, weight, eventTime, origin);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Sample)) {
      return false;
    }
    Sample s = (Sample) o;
    return modelId.equals(s.modelId)
        && features.equals(s.features)
        && Double.compare(label, s.label) == 0
        && Double.compare(weight, s.weight) == 0
        && eventTime == s.eventTime
        && origin.equals(s.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelId, features, label, weight, eventTime, origin);
  }

  @Override
  public String toString() {
    return "Sample{" + modelId + ", " + features + ", y=" + label + ", w=" + weight + ", t="
        + eventTime + ", " + origin + "}";
  }

  /** Position of a record in a partitioned log: stream (topic) name, partition, offset. */
  public record Origin(String stream, int partition, long offset) {
    public static final Origin UNKNOWN = new Origin("", -1, -1L);

    public Origin {
      Objects.requireNonNull(stream, "stream");
    }
  }
}
