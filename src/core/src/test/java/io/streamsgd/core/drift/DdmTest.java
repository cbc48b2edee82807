package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdmTest {

  @Test
  void warnsAndReportsTheChangeInRiversDocstringExampleAtIndices1084And1334And1492() {
    // river.drift.binary.DDM's docstring prints "Warning detected at index 1084", "Change
    // detected at index 1334", "Warning detected at index 1492"
    double[] stream = DriftStreams.resource("river-doc-binary-seed42.txt");
    assertThat(DriftStreams.riverDocPrintout(new Ddm(), stream))
        .containsExactly("warning 1084", "change 1334", "warning 1492");
  }

  @Test
  void keepsTheErrorRateAndItsDeviationAsComputedByHand() {
    // warm start 3: p_min and s_min are first taken at the 4th sample
    Ddm ddm = new Ddm(3, 2, 3);
    double[] errors = {1, 0, 0, 1, 0, 0};
    List<DriftSignal> signals = new ArrayList<>();
    for (double e : errors) {
      signals.add(ddm.update(e));
    }
    assertThat(signals).containsOnly(DriftSignal.STABLE);
    // 2 errors in 6: p = 1/3, s = sqrt(1/3 * 2/3 / 6) = sqrt(1/27) = 0.19245
    assertThat(ddm.errorRate()).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(ddm.errorStd()).isCloseTo(Math.sqrt(1.0 / 27), within(1e-15));
    // p + s fell at each sample after the warm start: 0.75, 0.6191, 0.5258, so the minimum is now
    assertThat(ddm.minErrorRate()).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(ddm.minErrorStd()).isCloseTo(Math.sqrt(1.0 / 27), within(1e-15));
    // then errors only; the warning line is p_min + 2 s_min = 0.7182, the change line
    // p_min + 3 s_min = 0.9107
    //   7th: p = 3/7, s = 0.1870, p + s = 0.6156       stable
    //   8th: p = 4/8, s = 0.1768, p + s = 0.6768       stable
    //   9th: p = 5/9, s = 0.1656, p + s = 0.7212       warning
    //  24th: p = 20/24, s = 0.0761, p + s = 0.9094     warning
    //  25th: p = 21/25, s = 0.0733, p + s = 0.9133     change
    for (int i = 7; i <= 25; i++) {
      DriftSignal s = ddm.update(1);
      DriftSignal expected =
          i < 9 ? DriftSignal.STABLE : i < 25 ? DriftSignal.WARNING : DriftSignal.DRIFT;
      assertThat(s).as("sample %d", i).isEqualTo(expected);
      if (i == 9) {
        assertThat(ddm.errorRate() + ddm.errorStd()).isCloseTo(0.7212, within(1e-4));
      }
    }
    assertThat(ddm.errorRate()).isCloseTo(21.0 / 25, within(1e-15));
    // it starts over on the next sample
    assertThat(ddm.update(0)).isEqualTo(DriftSignal.STABLE);
    assertThat(ddm.errorRate()).isEqualTo(0.0);
    assertThat(ddm.minErrorRate()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ddm.driftsDetected()).isEqualTo(1);
  }

  @Test
  void saysNothingDuringTheWarmStart() {
    Ddm ddm = new Ddm();
    for (int i = 0; i < 29; i++) {
      ddm.update(0);
    }
    // one error after 29 right predictions: p + s jumps, but the warm start lasts 30 samples
    assertThat(ddm.update(1)).isEqualTo(DriftSignal.STABLE);
    assertThat(ddm.minErrorRate()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void readsOnlyZeroOrOneErrors() {
    Ddm ddm = new Ddm();
    assertThatThrownBy(() -> ddm.update(0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ddm.update(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ddm.update(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ddm.samplesSeen()).isZero();
  }

  @Test
  void rejectsParametersOutOfRange() {
    assertThatThrownBy(() -> new Ddm(-1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ddm(30, 0, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ddm(30, 3, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
