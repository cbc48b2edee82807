package io.streamsgd.core.avro;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.util.List;

/** Between the published {@link TrainingSample} record and the core's {@link Sample}. */
public final class SampleConversion {

  private SampleConversion() {}

  public static Sample fromAvro(TrainingSample record, Sample.Origin origin) {
    return new Sample(
        record.getModelId(),
        features(record.getFeatures()),
        record.getLabel(),
        record.getWeight(),
        record.getEventTime().toEpochMilli(),
        origin);
  }

  /** Reads the {@code features} union of a sample or a prediction request. */
  public static FeatureVector features(Object union) {
    if (union instanceof DenseFeatures) {
      return FeatureVector.dense(DoubleArrayView.toArray(((DenseFeatures) union).getValues()));
    }
    if (union instanceof SparseFeatures) {
      SparseFeatures s = (SparseFeatures) union;
      List<Integer> idx = s.getIndices();
      int[] indices = new int[idx.size()];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = idx.get(i);
      }
      return FeatureVector.sparse(indices, DoubleArrayView.toArray(s.getValues()));
    }
    if (union instanceof NamedFeatures) {
      NamedFeatures named = (NamedFeatures) union;
      return FeatureVector.named(
          named.getNames().toArray(new String[0]), DoubleArrayView.toArray(named.getValues()));
    }
    throw new IllegalArgumentException(
        "unknown feature encoding " + (union == null ? "null" : union.getClass().getName()));
  }

  /**
   * The sample as a published record. Named features that were hashed on decoding keep only their
   * 32-bit name hashes, written as sparse indices.
   */
  public static TrainingSample toAvro(Sample sample) {
    FeatureVector f = sample.features();
    Object features;
    if (f.isDense()) {
      features = new DenseFeatures(new DoubleArrayView(f.values()));
    } else {
      // Hashed features keep only their names' 32-bit hashes: they travel as sparse indices.
      Integer[] boxed = new Integer[f.size()];
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = f.indexAt(i);
      }
      features = new SparseFeatures(List.of(boxed), new DoubleArrayView(f.values()));
    }
    return TrainingSample.newBuilder()
        .setModelId(sample.modelId())
        .setFeatures(features)
        .setLabel(sample.label())
        .setWeight(sample.weight())
        .setEventTime(java.time.Instant.ofEpochMilli(sample.eventTime()))
        .build();
  }
}
