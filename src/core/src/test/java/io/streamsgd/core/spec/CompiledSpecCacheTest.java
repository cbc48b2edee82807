package io.streamsgd.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.batch.NormTestPolicy;
import io.streamsgd.core.loss.LogisticLoss;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.ModelSpec;
import org.junit.jupiter.api.Test;

class CompiledSpecCacheTest {

  @Test
  void compilesEachSpecContentOnceWhateverItsIdOrObject() {
    CompiledSpecCache cache = new CompiledSpecCache();
    ModelSpec a = ModelSpecs.logisticRegression("a", 3, 0.5, 8);
    ModelSpec sameContentOtherId = ModelSpecs.logisticRegression("b", 3, 0.5, 8);
    ModelSpec sameContentOtherObject = ModelSpec.newBuilder(a).build();
    ModelSpec faster = ModelSpecs.logisticRegression("a", 3, 0.9, 8);

    CompiledSpec first = cache.get(a);
    assertThat(cache.get(a)).isSameAs(first);
    assertThat(cache.get(sameContentOtherId)).isSameAs(first);
    assertThat(cache.get(sameContentOtherObject)).isSameAs(first);
    assertThat(cache.get(faster)).isNotSameAs(first);
  }

  @Test
  void buildsTheSpecsObjectsAndFingerprintsItUnderAnyId() {
    ModelSpec spec = ModelSpecs.logisticRegression("a", 3, 0.5, 8);
    spec.getBatch().setKind(BatchPolicyKind.NORM_TEST);
    CompiledSpec compiled = new CompiledSpecCache().get(spec);

    assertThat(compiled.loss()).isSameAs(LogisticLoss.INSTANCE);
    assertThat(compiled.batchPolicy()).isInstanceOf(NormTestPolicy.class);
    assertThat(compiled.shape()).isEqualTo(SpecShape.of(spec));
    ModelSpec renamed = ModelSpec.newBuilder(spec).setModelId("other").build();
    assertThat(compiled.fingerprint("other")).isEqualTo(SpecFingerprint.of(renamed));
    assertThat(compiled.fingerprint("a")).isEqualTo(SpecFingerprint.of(spec));
  }
}
