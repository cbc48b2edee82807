package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamsgd demo --report FILE}, as a user runs it, the numbers it reports and its loss
 * chart.
 */
class DemoCommandITCase {

  @Test
  void demoConvergesToTheSeedExamplesAnswers(@TempDir Path tmp) throws Exception {
    Path report = tmp.resolve("out.json");
    int code =
        new CommandLine(new StreamSgdCommand()).execute("demo", "--report", report.toString());
    assertThat(code).isZero();

    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("result").asText()).isEqualTo("PASS");
    assertThat(json.get("models")).hasSize(3);
    for (JsonNode m : json.get("models")) {
      assertThat(m.get("samplesSeen").asLong()).isEqualTo(200_000);
      assertThat(m.get("prediction").get("version").asLong()).isEqualTo(m.get("version").asLong());
      if (m.get("task").asText().equals("REGRESSION")) {
        assertThat(m.get("weights").get(0).asDouble())
            .as(m.get("id").asText())
            .isCloseTo(3.0, within(0.05));
        assertThat(m.get("bias").asDouble()).as(m.get("id").asText()).isCloseTo(2.5, within(0.05));
        assertThat(m.get("prediction").get("value").asDouble()).isCloseTo(4.0, within(0.06));
      } else {
        // P(y = 1 | x) = min(1, 0.5 + tanh(2x)) rises with x: the learned slope is positive.
        assertThat(m.get("weights").get(0).asDouble()).isPositive();
        assertThat(m.get("prediction").get("value").asDouble()).isGreaterThan(0.9);
      }
    }

    BufferedImage chart = ImageIO.read(tmp.resolve("out-loss.png").toFile());
    assertThat(chart).as("loss chart next to the report").isNotNull();
    assertThat(chart.getWidth()).isEqualTo(900);
  }
}
