package io.streamsgd.input.format;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One example read from a file: model id (null for the run's default), features in one of the
 * published encodings, label, weight, and its event time in epoch milliseconds (null when the file
 * holds none).
 */
public record ParsedSample(
    String modelId, Object features, double label, double weight, Long eventTime) {

  /** An example whose file holds no event time. */
  public ParsedSample(String modelId, Object features, double label, double weight) {
    this(modelId, features, label, weight, null);
  }

  public static Object dense(double[] values) {
    return new DenseFeatures(new DoubleArrayView(values));
  }

  public static Object sparse(int[] indices, double[] values) {
    return new SparseFeatures(Arrays.stream(indices).boxed().toList(), new DoubleArrayView(values));
  }

  public static Object named(List<String> names, double[] values) {
    return new NamedFeatures(names, new DoubleArrayView(values));
  }

  /** Largest index + 1 (sparse) or the length (dense); 0 for named features. */
  public int dimensionNeeded() {
    if (features instanceof DenseFeatures d) {
      return d.getValues().size();
    }
    if (features instanceof SparseFeatures s) {
      List<Integer> idx = s.getIndices();
      return idx.isEmpty() ? 0 : idx.get(idx.size() - 1) + 1;
    }
    return 0;
  }

  public TrainingSample toRecord(String defaultModelId, long eventTime) {
    return TrainingSample.newBuilder()
        .setModelId(modelId == null ? defaultModelId : modelId)
        .setFeatures(features)
        .setLabel(label)
        .setWeight(weight)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .build();
  }
}
