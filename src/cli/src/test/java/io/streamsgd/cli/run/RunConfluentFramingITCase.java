package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.cli.StreamSgdCommand;
import io.streamsgd.registry.SchemaRegistryProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamsgd run --framing CONFLUENT} against a real schema registry: the trainer registers
 * its output schemas and publishes in the Confluent framing, and run reads the models and dead
 * letters back through the registry.
 */
class RunConfluentFramingITCase {
  @Test
  void theTrainerPublishesConfluentFramedRecordsAndRunReadsThemBack(@TempDir Path tmp)
      throws Exception {
    // y = 2x + 1 for model m; one row with a label the trainer refuses, as a dead letter.
    Random rnd = new Random(11);
    StringBuilder csv = new StringBuilder("model,x,y\n");
    int n = 400;
    for (int i = 0; i < n; i++) {
      double x = rnd.nextDouble();
      csv.append(String.format(Locale.ROOT, "m,%.6f,%.6f%n", x, 2 * x + 1));
    }
    csv.append("m,0.5,NaN\n");
    Path input = Files.writeString(tmp.resolve("line.csv"), csv.toString());

    try (SchemaRegistryProcess registry =
        SchemaRegistryProcess.start(tmp.resolve("registry"), Duration.ofMinutes(2))) {
      JsonNode report =
          RunCommandITCase.run(
              tmp.resolve("report.json"),
              "--input",
              input.toString(),
              "--model-id-column",
              "model",
              "--label-column",
              "y",
              "--task",
              "REGRESSION",
              "--framing",
              "CONFLUENT",
              "--registry-url",
              registry.confluentUrl());

      List<String> subjects = new ArrayList<>();
      new ObjectMapper()
          .readTree(get(registry.confluentUrl() + "/subjects"))
          .forEach(s -> subjects.add(s.asText()));
      assertThat(subjects)
          .as("the trainer's sinks registered their schemas")
          .contains("models-value", "dead-letters-value");

      JsonNode models = report.get("models");
      assertThat(models).hasSize(1);
      JsonNode m = models.get(0);
      assertThat(m.get("id").asText()).isEqualTo("m");
      assertThat(m.get("samplesSeen").asLong())
          .as("the last version, read back through the registry")
          .isEqualTo(n);
      assertThat(m.get("version").asLong()).isPositive();
      assertThat(report.get("deadLetters").get("NON_FINITE_LABEL").asLong()).isEqualTo(1);
      assertThat(report.get("deadLetters").has("UNREADABLE")).isFalse();
    }
  }

  @Test
  void confluentFramingWithoutARegistryIsRefusedBeforeAnythingStarts(@TempDir Path tmp)
      throws Exception {
    Path input = Files.writeString(tmp.resolve("one.csv"), "x,label\n1.0,2.0\n");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StreamSgdCommand());
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("run", "--input", input.toString(), "--framing", "CONFLUENT");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--framing CONFLUENT needs --registry-url");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }
}
