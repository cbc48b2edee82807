package io.streamsgd.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConceptStreamsTest {
  @Test
  void anAbruptChangeSwitchesAtTheFirstChangedSample() {
    assertThat(ConceptStreams.newConceptShare(100, 100, 1)).isZero();
    assertThat(ConceptStreams.newConceptShare(101, 100, 1)).isEqualTo(1.0);
  }

  @Test
  void aGradualChangeBlendsLinearlyOverItsRamp() {
    assertThat(ConceptStreams.newConceptShare(100, 100, 1000)).isZero();
    assertThat(ConceptStreams.newConceptShare(101, 100, 1000)).isEqualTo(0.001);
    assertThat(ConceptStreams.newConceptShare(600, 100, 1000)).isEqualTo(0.5);
    assertThat(ConceptStreams.newConceptShare(1100, 100, 1000)).isEqualTo(1.0);
    assertThat(ConceptStreams.newConceptShare(5000, 100, 1000)).isEqualTo(1.0);
  }

  @Test
  void aStreamIsTheSameForTheSameSeed() {
    var a = ConceptStreams.changingRegression(50, 20, 10, 3).samples();
    var b = ConceptStreams.changingRegression(50, 20, 10, 3).samples();
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).label()).isEqualTo(b.get(i).label());
      assertThat(a.get(i).features()).isEqualTo(b.get(i).features());
    }
  }
}
