package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
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

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 40})
  void everyChunkOfAFullModelFitsTheLimitAndTheirCountStaysWithinTheBound(int outputs) {
    ModelSpec spec =
        outputs == 1
            ? ModelSpecs.logisticRegression("a-model-with-a-long-id", 1 << 14, 0.5, 8)
            : ModelSpecs.softmaxRegression("c", 1 << 14, outputs, 0.5, 8);
    spec.setHashBits(14);
    // Stored dense, so that the update carries every weight (40 outputs would be stored sparse).
    LearnerState state = LearnerState.initial(spec, CompiledSpec.of(spec), false);
    ModelUpdate update =
        ModelUpdates.snapshot(
            state,
            new BatchResult(1, 1, 1, 0, 0, true),
            BatchCloseReason.END_OF_INPUT,
            Long.MAX_VALUE,
            Long.MAX_VALUE);
    double[] weights = new double[outputs << 14];
    java.util.Arrays.fill(weights, 0.5); // nothing left out by the sparse form
    update.getParameters().setWeights(new DoubleArrayView(weights));
    int limit = 20_000 + 16 * outputs * 8;
    List<ModelRecord> records = ModelChunks.split(update, limit);
    assertThat(UpdateSize.problem(spec, limit, "limit")).isEmpty();
    assertThat(records)
        .hasSizeGreaterThan(1)
        .allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(limit));
    assertThat((long) records.size())
        .isLessThanOrEqualTo(UpdateSize.maxChunks(spec, limit))
        // not far below either: the bound counts 5 bytes per column index, 14 bits take 1 to 3
        .isGreaterThanOrEqualTo(UpdateSize.maxChunks(spec, limit) * 2 / 3);
  }

  @Test
  void aHashedModelTooLargeForOneRecordIsChunkedNotRefused() {
    ModelSpec spec = ModelSpecs.logisticRegression("clicks", 1 << 18, 0.1, 1);
    spec.setHashBits(18);
    assertThat(UpdateSize.upperBound(spec)).isGreaterThan(1 << 21);
    assertThat(UpdateSize.problem(spec, 1 << 20, "limit")).isEmpty();
    // 2^18 columns of 13 bytes at most, about 80,500 of them to a chunk
    assertThat(UpdateSize.maxChunks(spec, 1 << 20)).isEqualTo(4);
    spec.setHashBits(6);
    spec.setFeatureDimension(1 << 6);
    assertThat(UpdateSize.maxChunks(spec, 1 << 20)).isEqualTo(1);
  }

  @Test
  void aVersionOfTooManyRecordsIsRefusedNamingTheHashBitsThatFit() {
    ModelSpec spec = ModelSpecs.logisticRegression("clicks", 1 << 26, 0.1, 1);
    spec.setHashBits(26);
    assertThat(UpdateSize.problem(spec, 65_536, "streamsgd.sink.max-record-bytes"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("a version of its 67,108,865 parameters takes up to 13,")
                    .contains(
                        "records under the 65,536-byte record limit"
                            + " (streamsgd.sink.max-record-bytes), above the 4,096 one version"
                            + " may take: raise the limit")
                    .endsWith("or use at most 24 hash bits"));
    spec.setHashBits(24);
    spec.setFeatureDimension(1 << 24);
    assertThat(UpdateSize.problem(spec, 65_536, "limit")).isEmpty();
    assertThat(UpdateSize.problem(spec, 1_000_000, "limit")).isEmpty();
  }

  @Test
  void aDenseModelOfTooManyRecordsNamesTheDimensionThatFits() {
    ModelSpec spec = ModelSpecs.softmaxRegression("wide", 1 << 20, 100, 0.1, 8);
    assertThat(UpdateSize.problem(spec, 65_536, "limit"))
        .hasValueSatisfying(p -> assertThat(p).contains("use a featureDimension of at most 3"));
  }

  @Test
  void aRepeatedPartThatLeavesNoRoomForAColumnIsRefused() {
    ModelSpec spec = ModelSpecs.softmaxRegression("many-classes", 4096, 1000, 0.1, 8);
    assertThat(UpdateSize.problem(spec, 16_384, "streamsgd.sink.max-record-bytes"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("each record of its versions repeats up to 9,")
                    .contains("needs 8,005 more for one column of weights, above the 16,384-byte")
                    .endsWith("or use fewer classes"));
    assertThat(UpdateSize.problem(spec, 65_536, "limit")).isEmpty();
  }
}
