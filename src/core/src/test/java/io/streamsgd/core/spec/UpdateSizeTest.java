package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpdateSizeTest {

  /**
   * An update with every optional field set: a trained model, metrics, a checkpoint id; stored (and
   * so published) dense, the largest form of a model touched in few columns.
   */
  private static int encodedUpdateBytes(ModelSpec spec) {
    LearnerState state = LearnerState.initial(spec, CompiledSpec.of(spec), false);
    int d = spec.getFeatureDimension();
    double[] x = new double[d];
    x[0] = 1;
    double label = spec.getNumClasses() > 2 ? 1 : 1.0;
    BatchResult result =
        MinibatchUpdate.apply(
            state,
            List.of(
                new Sample(
                    spec.getModelId(),
                    FeatureVector.dense(x),
                    label,
                    1.0,
                    1_000L,
                    Sample.Origin.UNKNOWN)));
    return Codecs.MODEL_UPDATE.encode(
            ModelUpdates.snapshot(
                state, result, BatchCloseReason.END_OF_INPUT, Long.MAX_VALUE, Long.MAX_VALUE))
        .length;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 4096, 1 << 16})
  void theBoundHoldsAndStaysWithinItsMarginOfTheTruth(int dimension) {
    for (ModelSpec spec :
        List.of(
            ModelSpecs.linearRegression("a-model-with-a-long-id." + dimension, dimension, 0.1, 4),
            ModelSpecs.logisticRegression("b", dimension, 0.5, 8),
            ModelSpecs.softmaxRegression("c", dimension, 10, 0.5, 8))) {
      long actual = encodedUpdateBytes(spec);
      assertThat(UpdateSize.upperBound(spec))
          .as("%s of dimension %d", spec.getLoss(), dimension)
          .isGreaterThanOrEqualTo(actual)
          .isLessThanOrEqualTo(actual + UpdateSize.FIXED_BYTES);
    }
  }

  @Test
  void aHashedModelTooLargeForOneRecordNamesTheHashBitsThatFit() {
    ModelSpec spec = ModelSpecs.logisticRegression("clicks", 1 << 18, 0.1, 1);
    spec.setHashBits(18);
    assertThat(UpdateSize.problem(spec, 1 << 20, "streamsgd.sink.max-record-bytes"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("its updates are up to 2,")
                    .contains("262,145 parameters of 8 bytes")
                    .contains(
                        "above the 1,048,576-byte record limit (streamsgd.sink.max-record-bytes)")
                    .contains("use at most 16 hash bits"));
    spec.setHashBits(16);
    spec.setFeatureDimension(1 << 16);
    assertThat(UpdateSize.problem(spec, 1 << 20, "limit")).isEmpty();
    assertThat(UpdateSize.maxDimension(spec, 1 << 20)).isBetween(130_000L, 131_071L);
  }

  @Test
  void aDenseModelTooLargeNamesTheDimensionThatFits() {
    ModelSpec spec = ModelSpecs.softmaxRegression("wide", 20_000, 10, 0.1, 8);
    long fits = UpdateSize.maxDimension(spec, 1 << 20);
    assertThat(UpdateSize.problem(spec, 1 << 20, "limit"))
        .hasValueSatisfying(
            p -> assertThat(p).contains(String.format("featureDimension of at most %,d", fits)));
    spec.setFeatureDimension((int) fits);
    assertThat(UpdateSize.upperBound(spec)).isLessThanOrEqualTo(1 << 20);
    spec.setFeatureDimension((int) fits + 1);
    assertThat(UpdateSize.upperBound(spec)).isGreaterThan(1 << 20);
  }
}
