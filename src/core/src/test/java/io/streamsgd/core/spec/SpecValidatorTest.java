package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.schema.DriftDetectorName;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void namesEveryBadFieldAndItsRange() {
    ModelSpec bad =
        ModelSpec.newBuilder(ModelSpecs.linearRegression("ok", 2, 0.1, 8))
            .setModelId("no spaces allowed")
            .setLoss(Loss.LOGISTIC)
            .setFeatureDimension(0)
            .build();
    bad.getOptimizer().setLearningRate(Double.NaN);
    bad.getBatch().setSize(0);
    assertThat(SpecValidator.problems(bad))
        .anySatisfy(p -> assertThat(p).startsWith("modelId must match"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("loss LOGISTIC trains BINARY models, but task is REGRESSION"))
        .anySatisfy(
            p -> assertThat(p).contains("featureDimension must be in [1, 268435456], got 0"))
        .anySatisfy(
            p -> assertThat(p).contains("optimizer.learningRate must be finite and > 0, got NaN"))
        .anySatisfy(p -> assertThat(p).contains("batch.size must be in [1, 1000000], got 0"));
    assertThatThrownBy(() -> SpecValidator.requireValid(bad)).hasMessageContaining("invalid spec");
  }

  @Test
  void handWrittenJsonTakesDefaultsAndBareOptionalValues() {
    ModelSpec spec =
        ModelSpecJson.parse(
            "{\"modelId\": \"house-prices\", \"task\": \"REGRESSION\", \"loss\": \"HUBER\", \"featureDimension\": 12,"
                + " \"optimizer\": {\"kind\": \"ADAM\", \"learningRate\": 0.05, \"interceptLearningRate\": 0.5},"
                + " \"regularization\": {\"l1\": 0.001}, \"batch\": {\"kind\": \"SIZE_OR_LATENCY\", \"size\": 64}}");
    assertThat(spec.getHuberDelta()).isEqualTo(1.0);
    assertThat(spec.getOptimizer().getBeta2()).isEqualTo(0.999);
    assertThat(spec.getOptimizer().getInterceptLearningRate()).isEqualTo(0.5);
    assertThat(spec.getRegularization().getL1()).isEqualTo(0.001);
    assertThat(spec.getRegularization().getL2()).isEqualTo(0.0);
    assertThat(spec.getBatch().getMaxLatencyMs()).isEqualTo(1000);
    assertThat(SpecValidator.problems(spec)).isEmpty();
    assertThatThrownBy(() -> ModelSpecJson.parse("{\"modelId\": \"m\", \"tsk\": \"REGRESSION\"}"))
        .hasMessageContaining("unknown field tsk");
    assertThatThrownBy(() -> ModelSpecJson.parse("{\"modelId\": \"m\"}"))
        .hasMessageContaining("task");
  }

  @Test
  void jsonRoundTripKeepsTheSpecAndItsFingerprint() {
    ModelSpec spec = ModelSpecs.of("m-1", Task.BINARY, Loss.LOGISTIC, 7, 0.2, 0.01, 16, 250);
    ModelSpec back = ModelSpecJson.parse(ModelSpecJson.toJson(spec));
    assertThat(back).isEqualTo(spec);
    assertThat(SpecFingerprint.of(back)).isEqualTo(SpecFingerprint.of(spec));
    assertThat(
            SpecFingerprint.of(
                ModelSpecs.of("m-1", Task.BINARY, Loss.LOGISTIC, 7, 0.3, 0.01, 16, 250)))
        .isNotEqualTo(SpecFingerprint.of(spec));
  }

  @Test
  void aDriftSpecInJsonTakesItsDetectorsParametersByName() {
    ModelSpec spec =
        ModelSpecJson.parse(
            "{\"modelId\": \"late-flights\", \"task\": \"BINARY\", \"loss\": \"LOGISTIC\","
                + " \"featureDimension\": 16, \"optimizer\": {\"kind\": \"SGD\", \"learningRate\": 0.05},"
                + " \"regularization\": {}, \"batch\": {\"kind\": \"FIXED\", \"size\": 1},"
                + " \"drift\": {\"detector\": \"PAGE_HINKLEY\", \"signal\": \"LOSS\","
                + " \"parameters\": {\"mode\": 1, \"threshold\": 100}, \"reaction\": \"RESET\"}}");
    assertThat(spec.getDrift().getDetector()).isEqualTo(DriftDetectorName.PAGE_HINKLEY);
    assertThat(spec.getDrift().getReaction()).isEqualTo(DriftReaction.RESET);
    assertThat(spec.getDrift().getParameters())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("mode", 1.0, "threshold", 100.0));
    assertThat(SpecValidator.problems(spec)).isEmpty();
    assertThatThrownBy(
            () ->
                ModelSpecJson.parse(
                    "{\"modelId\": \"m\", \"task\": \"BINARY\", \"featureDimension\": 2,"
                        + " \"drift\": {\"detector\": \"ADWIN\", \"parameters\": 0.01}}"))
        .hasMessageContaining("drift.parameters. must be an object");
  }

  @Test
  void aSpecWithDriftDetectionSurvivesAvrosStrictJson() {
    ModelSpec spec = ModelSpecs.of("m-1", Task.BINARY, Loss.LOGISTIC, 7, 0.2, 0.01, 16, 250);
    spec.setDrift(
        DriftSpec.newBuilder()
            .setDetector(DriftDetectorName.ADWIN)
            .setParameters(java.util.Map.of("delta", 0.01))
            .setReaction(DriftReaction.RESET)
            .build());
    ModelSpec back = ModelSpecJson.parse(ModelSpecJson.toJson(spec));
    assertThat(back).isEqualTo(spec);
    assertThat(SpecFingerprint.of(back)).isEqualTo(SpecFingerprint.of(spec));
  }

  @Test
  void modelIdCheckAgreesWithItsPattern() {
    java.util.Random rnd = new java.util.Random(11);
    String alphabet = "aZ09._:-/ é\t#";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder id = new StringBuilder();
      int length = rnd.nextInt(10) == 0 ? 120 + rnd.nextInt(20) : rnd.nextInt(6);
      for (int k = 0; k < length; k++) {
        id.append(
            rnd.nextInt(4) == 0
                ? alphabet.charAt(rnd.nextInt(alphabet.length()))
                : (char) ('a' + rnd.nextInt(26)));
      }
      String s = id.toString();
      org.assertj.core.api.Assertions.assertThat(SpecValidator.isModelId(s))
          .as("'%s'", s)
          .isEqualTo(SpecValidator.MODEL_ID.matcher(s).matches());
    }
    org.assertj.core.api.Assertions.assertThat(SpecValidator.isModelId(null)).isFalse();
  }

  @Test
  void aDriftSpecReadsFromJsonRoundTripsAndIsCheckedAgainstTheTask() {
    String json =
        "{\"modelId\": \"m\", \"task\": \"BINARY\", \"loss\": \"LOGISTIC\","
            + " \"featureDimension\": 4, \"optimizer\": {\"kind\": \"SGD\"},"
            + " \"regularization\": {}, \"batch\": {\"kind\": \"FIXED\"},"
            + " \"drift\": {\"detector\": \"ADWIN\", \"parameters\": {\"delta\": 0.01},"
            + " \"reaction\": \"RESET\"}}";
    ModelSpec spec = ModelSpecJson.parse(json);
    org.assertj.core.api.Assertions.assertThat(spec.getDrift().getParameters())
        .containsEntry("delta", 0.01);
    org.assertj.core.api.Assertions.assertThat(ModelSpecJson.parse(ModelSpecJson.toJson(spec)))
        .isEqualTo(spec);
    org.assertj.core.api.Assertions.assertThat(SpecValidator.problems(spec)).isEmpty();

    spec.getDrift().setDetector(io.streamsgd.schema.DriftDetectorName.DDM);
    spec.getDrift().setParameters(java.util.Map.of("delta", 0.01));
    spec.getDrift().setReaction(io.streamsgd.schema.DriftReaction.BACKGROUND);
    org.assertj.core.api.Assertions.assertThat(SpecValidator.problems(spec))
        .containsExactly(
            "drift.detector DDM watches 0/1 errors: set drift.signal ERROR",
            "drift.parameters: ddm has no parameter(s) [delta]; see DriftDetectors for its"
                + " parameters");
    spec.getDrift().setDetector(io.streamsgd.schema.DriftDetectorName.PAGE_HINKLEY);
    spec.getDrift().setParameters(java.util.Map.of("mode", 1.0));
    spec.getDrift().setSignal(io.streamsgd.schema.DriftSignalSource.ERROR);
    spec.setTask(io.streamsgd.schema.Task.REGRESSION);
    spec.setLoss(io.streamsgd.schema.Loss.SQUARED);
    org.assertj.core.api.Assertions.assertThat(SpecValidator.problems(spec))
        .containsExactly(
            "drift.signal ERROR needs a classifier (task BINARY or MULTICLASS)",
            "drift.reaction BACKGROUND starts the background model at a warning, and PAGE_HINKLEY"
                + " never warns: use DDM or EDDM, or the reaction RESET");
  }
}
