package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void namesEveryBadFieldAndItsRange() {
    ModelSpec bad = ModelSpec.newBuilder(ModelSpecs.linearRegression("ok", 2, 0.1, 8)).setModelId("no spaces allowed").setLoss(Loss.LOGISTIC).setFeatureDimension(0).build();
    bad.getOptimizer().setLearningRate(Double.NaN);
    bad.getBatch().setSize(0);
    assertThat(SpecValidator.problems(bad))
        .anySatisfy(p -> assertThat(p).startsWith("modelId must match"))
        .anySatisfy(p -> assertThat(p).contains("loss LOGISTIC trains BINARY models, but task is REGRESSION"))
        .anySatisfy(p -> assertThat(p).contains("featureDimension must be in [1, 268435456], got 0"))
        .anySatisfy(p -> assertThat(p).contains("optimizer.learningRate must be finite and > 0, got NaN"))
        .anySatisfy(p -> assertThat(p).contains("batch.size must be in [1, 1000000], got 0"));
    assertThatThrownBy(() -> SpecValidator.requireValid(bad)).hasMessageContaining("invalid spec");
  }

  @Test
  void jsonRoundTripKeepsTheSpecAndItsFingerprint() {
    ModelSpec spec = ModelSpecs.of("m-1", Task.BINARY, Loss.LOGISTIC, 7, 0.2, 0.01, 16, 250);
    ModelSpec back = ModelSpecJson.parse(ModelSpecJson.toJson(spec));
    assertThat(back).isEqualTo(spec);
    assertThat(SpecFingerprint.of(back)).isEqualTo(SpecFingerprint.of(spec));
    assertThat(SpecFingerprint.of(ModelSpecs.of("m-1", Task.BINARY, Loss.LOGISTIC, 7, 0.3, 0.01, 16, 250)))
        .isNotEqualTo(SpecFingerprint.of(spec));
  }
}
