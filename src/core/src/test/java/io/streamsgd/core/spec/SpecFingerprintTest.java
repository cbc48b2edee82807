package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.schema.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecFingerprintTest {
  private static final List<String> IDS =
      List.of(
          "a",
          "default",
          "model-42",
          "x".repeat(63),
          "y".repeat(64),
          "z".repeat(9_000),
          "modèle-Ω-模型");

  @Test
  void templateGivesTheFingerprintOfTheSpecUnderEachId() {
    for (ModelSpec source :
        List.of(
            ModelSpecs.linearRegression("default", 3, 0.1, 20),
            ModelSpecs.logisticRegression("some-other-id", 64, 0.5, 32),
            ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("x", 7, 0.01, 1), 1))) {
      SpecFingerprint.Template template = SpecFingerprint.template(source);
      for (String id : IDS) {
        ModelSpec renamed = ModelSpec.newBuilder(source).setModelId(id).build();
        assertThat(template.fingerprint(id))
            .as("%s as %s", source.getModelId(), id)
            .isEqualTo(SpecFingerprint.of(renamed));
      }
    }
  }

  @Test
  void fingerprintsTellSpecsAndIdsApart() {
    ModelSpec spec = ModelSpecs.linearRegression("default", 3, 0.1, 20);
    SpecFingerprint.Template template = SpecFingerprint.template(spec);
    assertThat(template.fingerprint("a")).isNotEqualTo(template.fingerprint("b"));
    assertThat(
            SpecFingerprint.template(ModelSpecs.linearRegression("default", 3, 0.2, 20))
                .fingerprint("a"))
        .isNotEqualTo(template.fingerprint("a"));
  }
}
