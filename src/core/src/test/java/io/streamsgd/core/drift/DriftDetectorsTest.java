package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftDetectorsTest {

  @Test
  void makesEachKindWithRiversDefaults() {
    for (DriftDetectorKind kind : DriftDetectorKind.values()) {
      DriftDetector d = DriftDetectors.create(kind);
      assertThat(d.kind()).isEqualTo(kind);
    }
    assertThat(DriftDetectors.create(DriftDetectorKind.ADWIN).toBytes())
        .isEqualTo(new Adwin().toBytes());
    assertThat(DriftDetectors.create(DriftDetectorKind.PAGE_HINKLEY).toBytes())
        .isEqualTo(new PageHinkley().toBytes());
    assertThat(DriftDetectors.create(DriftDetectorKind.DDM).toBytes())
        .isEqualTo(new Ddm().toBytes());
    assertThat(DriftDetectors.create(DriftDetectorKind.EDDM).toBytes())
        .isEqualTo(new Eddm().toBytes());
  }

  @Test
  void takesParametersByRiversNames() {
    Adwin a =
        (Adwin)
            DriftDetectors.create(
                DriftDetectorKind.ADWIN,
                Map.of(
                    "delta",
                    0.01,
                    "clock",
                    1,
                    "max_buckets",
                    7L,
                    "min_window_length",
                    3.0,
                    "grace_period",
                    20));
    assertThat(a.delta()).isEqualTo(0.01);
    assertThat(a.clock()).isEqualTo(1);
    assertThat(a.maxBuckets()).isEqualTo(7);
    assertThat(a.minWindowLength()).isEqualTo(3);
    assertThat(a.gracePeriod()).isEqualTo(20);

    PageHinkley p =
        (PageHinkley)
            DriftDetectors.create(
                DriftDetectorKind.PAGE_HINKLEY, Map.of("threshold", 10, "mode", "up"));
    assertThat(p.threshold()).isEqualTo(10.0);
    assertThat(p.mode()).isEqualTo(PageHinkley.Mode.UP);
    assertThat(p.alpha()).isEqualTo(PageHinkley.DEFAULT_ALPHA);

    Ddm d =
        (Ddm)
            DriftDetectors.create(
                DriftDetectorKind.DDM, Map.of("warm_start", 100, "drift_threshold", 4));
    assertThat(d.warmStart()).isEqualTo(100);
    assertThat(d.warningThreshold()).isEqualTo(2.0);
    assertThat(d.driftThreshold()).isEqualTo(4.0);

    Eddm e =
        (Eddm) DriftDetectors.create(DriftDetectorKind.EDDM, Map.of("alpha", 0.8, "beta", 0.75));
    assertThat(e.alpha()).isEqualTo(0.8);
    assertThat(e.beta()).isEqualTo(0.75);
  }

  @Test
  void refusesParametersTheKindDoesNotHaveOrOfTheWrongType() {
    assertThatThrownBy(() -> DriftDetectors.create(DriftDetectorKind.DDM, Map.of("delta", 0.1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta");
    assertThatThrownBy(() -> DriftDetectors.create(DriftDetectorKind.ADWIN, Map.of("clock", 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number");
    assertThatThrownBy(
            () -> DriftDetectors.create(DriftDetectorKind.PAGE_HINKLEY, Map.of("mode", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> DriftDetectors.create(DriftDetectorKind.ADWIN, Map.of("delta", "small")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DriftDetectors.create(DriftDetectorKind.EDDM, Map.of("beta", 0.99)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kindsAreNamedAsInRiver() {
    assertThat(DriftDetectorKind.of("adwin")).isEqualTo(DriftDetectorKind.ADWIN);
    assertThat(DriftDetectorKind.of("page_hinkley")).isEqualTo(DriftDetectorKind.PAGE_HINKLEY);
    assertThat(DriftDetectorKind.of("Page-Hinkley")).isEqualTo(DriftDetectorKind.PAGE_HINKLEY);
    assertThat(DriftDetectorKind.of("DDM")).isEqualTo(DriftDetectorKind.DDM);
    assertThat(DriftDetectorKind.of("eddm")).isEqualTo(DriftDetectorKind.EDDM);
    assertThatThrownBy(() -> DriftDetectorKind.of("kswin"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DriftDetectorKind.DDM.binaryInput()).isTrue();
    assertThat(DriftDetectorKind.ADWIN.binaryInput()).isFalse();
  }
}
