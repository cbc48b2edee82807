package io.streamsgd.core.feature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeatureVectorTest {

  @Test
  void hashIsMurmurHash3X86With32BitsAndSeedZero() {
    // Reference values computed with an independent implementation of MurmurHash3_x86_32.
    assertThat(FeatureHasher.hash("")).isEqualTo(0);
    assertThat(FeatureHasher.hash("hello")).isEqualTo(613153351);
    assertThat(FeatureHasher.hash("Hello, world!")).isEqualTo(-1070186941);
    assertThat(FeatureHasher.hash("naïve")).isEqualTo(992511445); // UTF-8 bytes
    assertThat(FeatureHasher.bucket("user=42", 20)).isEqualTo(499502);
  }

  @Test
  void foldSortsBucketsAndAddsCollisions() {
    // Two names in one bucket of 2^1: "hello" (hash odd) and "Hello, world!" (odd) collide at 1.
    FeatureVector named =
        FeatureVector.named(
            new String[] {"hello", "", "Hello, world!"}, new double[] {1.5, 2.0, 0.25});
    FeatureVector folded = named.fold(1);
    assertThat(folded.kind()).isEqualTo(FeatureVector.Kind.SPARSE);
    assertThat(folded.indices()).containsExactly(0, 1);
    assertThat(folded.values()).containsExactly(2.0, 1.75);
    assertThat(FeatureVector.named(new String[] {"user=42"}, new double[] {1}).fold(20).indices())
        .containsExactly(499502);
  }
}
