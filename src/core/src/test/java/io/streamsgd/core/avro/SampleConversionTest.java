package io.streamsgd.core.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureHasher;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleConversionTest {
  static TrainingSample record(Object features) {
    return TrainingSample.newBuilder()
        .setModelId("m")
        .setFeatures(features)
        .setLabel(1)
        .setWeight(0.5)
        .setEventTime(Instant.ofEpochMilli(9))
        .build();
  }

  @Test
  void everyFeatureEncodingBecomesACoreVector() {
    Sample dense =
        SampleConversion.fromAvro(
            record(new DenseFeatures(List.of(1.0, 2.0))), Sample.Origin.UNKNOWN);
    assertThat(dense.features()).isEqualTo(FeatureVector.dense(new double[] {1, 2}));
    assertThat(dense.weight()).isEqualTo(0.5);
    assertThat(dense.eventTime()).isEqualTo(9);

    Sample sparse =
        SampleConversion.fromAvro(
            record(new SparseFeatures(List.of(3, 8), List.of(1.0, -1.0))), Sample.Origin.UNKNOWN);
    assertThat(sparse.features())
        .isEqualTo(FeatureVector.sparse(new int[] {3, 8}, new double[] {1, -1}));

    Sample named =
        SampleConversion.fromAvro(
            record(new NamedFeatures(List.of("hello", "user=42"), List.of(2.0, 1.0))),
            Sample.Origin.UNKNOWN);
    assertThat(named.features().kind()).isEqualTo(FeatureVector.Kind.HASHED);
    assertThat(named.features().indices())
        .containsExactly(FeatureHasher.hash("hello"), FeatureHasher.hash("user=42"));
  }

  @Test
  void denseAndSparseSamplesRoundTrip() {
    Sample s =
        new Sample(
            "m",
            FeatureVector.sparse(new int[] {1, 4}, new double[] {2, 3}),
            0,
            1,
            7,
            Sample.Origin.UNKNOWN);
    assertThat(SampleConversion.fromAvro(SampleConversion.toAvro(s), Sample.Origin.UNKNOWN))
        .isEqualTo(s);
  }
}
