package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

  @Test
  void theOverallFiguresWeighEverySampleAsItsModelDid() {
    // Model a: 300 samples, loss sum 60 (0.2 each), accuracy 0.9; model b: 100, 50, 0.5.
    RunReport.Overall o =
        RunReport.Overall.of(
            List.of(
                new double[] {300, 60, 0.9, Double.NaN}, new double[] {100, 50, 0.5, Double.NaN}));
    assertThat(o.weightSum()).isEqualTo(400);
    assertThat(o.meanLoss()).isCloseTo(110.0 / 400, within(1e-12)); // not (0.2 + 0.5) / 2
    assertThat(o.accuracy()).isCloseTo((270.0 + 50.0) / 400, within(1e-12));
    assertThat(o.rmse()).isNull();
  }

  @Test
  void rmsePoolsTheSquaredErrors() {
    RunReport.Overall o =
        RunReport.Overall.of(
            List.of(new double[] {1, 4, Double.NaN, 2}, new double[] {3, 3, Double.NaN, 1}));
    assertThat(o.rmse()).isCloseTo(Math.sqrt((4.0 * 1 + 1.0 * 3) / 4), within(1e-12));
    assertThat(o.accuracy()).isNull();
  }
}
