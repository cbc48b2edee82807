package io.streamsgd.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.schema.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
  static Sample sample(double y, double... x) {
    return new Sample("m", FeatureVector.dense(x), y, 1, 0, Sample.Origin.UNKNOWN);
  }

  @Test
  void anUpdateThatOverflowsIsRefusedAndRepeatedRefusalsBackTheRateOff() {
    ModelSpec spec = ModelSpecs.linearRegression("m", 1, 1e300, 1); // any real gradient overflows
    LearnerState state = LearnerState.initial(spec);
    LinearModel before = state.model().copy();
    BatchResult r = MinibatchUpdate.apply(state, List.of(sample(1e10, 1e10)));
    assertThat(r.applied()).isFalse();
    assertThat(state.model()).isEqualTo(before);
    assertThat(state.version()).isEqualTo(1); // published, saying the batch was refused
    assertThat(state.samplesSeen()).isEqualTo(1);
    assertThat(state.divergence().rejectedBatches()).isEqualTo(1);
    assertThat(state.divergence().learningRateScale())
        .isEqualTo(1.0); // one refusal: no backoff yet
    MinibatchUpdate.apply(state, List.of(sample(1e10, 1e10)));
    assertThat(state.divergence().learningRateScale()).isEqualTo(0.5); // the second in a row
    assertThat(state.model().allFinite()).isTrue();
  }

  @Test
  void aSpecOfAnotherShapeStartsANewLineageAndVersionsCarryOn() {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 1, 0.1, 1));
    MinibatchUpdate.apply(state, List.of(sample(2, 1)));
    MinibatchUpdate.apply(state, List.of(sample(2, 1)));
    assertThat(state.adopt(ModelSpecs.linearRegression("m", 1, 0.5, 1)))
        .isFalse(); // same shape: keeps parameters
    assertThat(state.model().weights()[0]).isNotZero();
    assertThat(state.adopt(ModelSpecs.linearRegression("m", 3, 0.5, 1))).isTrue();
    assertThat(state.lineage()).isEqualTo(2);
    assertThat(state.lineageStartVersion()).isEqualTo(3);
    assertThat(state.model().weights()).containsExactly(0.0, 0.0, 0.0);
    assertThat(state.metrics().count()).isZero();
    MinibatchUpdate.apply(state, List.of(sample(1, 1, 2, 3)));
    assertThat(state.version()).isEqualTo(3);
    assertThat(state.samplesSeen()).isEqualTo(3);
  }

  @Test
  void theLossFactorRefusesAnUpdateThatMakesTheBatchMuchWorse() {
    // lr 10 on squared loss with x = 1 overshoots: the residual grows from 1 to 19 (loss x361)
    ModelSpec spec = ModelSpecs.linearRegression("m", 1, 10, 1);
    spec.getDivergenceGuard().setLossFactor(4.0);
    LearnerState state = LearnerState.initial(spec);
    BatchResult r = MinibatchUpdate.apply(state, List.of(sample(1, 1)));
    assertThat(r.applied()).isFalse();
    assertThat(state.model().weights()).containsExactly(0.0);
    // with a small rate the loss shrinks and the update stands
    LearnerState ok = LearnerState.initial(ModelSpecs.withRegularization(spec, 0, 0));
    ok.spec().getOptimizer().setLearningRate(0.1);
    assertThat(MinibatchUpdate.apply(ok, List.of(sample(1, 1))).applied()).isTrue();
    assertThat(ok.divergence().consecutiveRejections()).isZero();
  }
}
