package io.streamsgd.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.serving.PredictionFraming;
import io.streamsgd.serving.ServingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve}'s registry and framing options, and the registry settings of its Kafka file. */
class ServeCommandTest {
  @TempDir Path tmp;

  ServeCommand parse(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theRegistryComesFromTheKafkaFileUnderConfluentsNamesAndTheOptionWins() throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("client.properties"),
            "security.protocol=SSL\n"
                + "schema.registry.url=https://from-file:8081\n"
                + "basic.auth.user.info=serving:s3cret\n");
    ServeCommand fromFile =
        parse("--bootstrap-servers", "broker:9092", "--kafka-config", file.toString());
    ServingSettings s = fromFile.settings(tmp);
    assertThat(s.kafkaProperties())
        .containsEntry("schema.registry.url", "https://from-file:8081")
        .containsEntry("basic.auth.user.info", "serving:s3cret")
        .containsEntry("security.protocol", "SSL");
    assertThat(s.predictionFraming()).isEqualTo(PredictionFraming.SINGLE_OBJECT);
    assertThat(fromFile.kafka.clientProperties())
        .as("what the Kafka clients of other commands get from the same file")
        .containsOnlyKeys("security.protocol", "bootstrap.servers");

    ServingSettings overridden =
        parse(
                "--bootstrap-servers",
                "broker:9092",
                "--kafka-config",
                file.toString(),
                "--registry-url",
                "http://registry:8080/apis/ccompat/v7",
                "--framing",
                "CONFLUENT")
            .settings(tmp);
    assertThat(overridden.kafkaProperties())
        .containsEntry("schema.registry.url", "http://registry:8080/apis/ccompat/v7")
        .containsEntry("basic.auth.user.info", "serving:s3cret");
    assertThat(overridden.predictionFraming()).isEqualTo(PredictionFraming.CONFLUENT);
    assertThat(overridden.toString()).doesNotContain("s3cret");
  }

  @Test
  void withoutRegistrySettingsNoRegistryIsConfigured() throws Exception {
    ServingSettings s = parse("--bootstrap-servers", "broker:9092").settings(tmp);
    assertThat(s.kafkaProperties()).isEmpty();
    assertThat(s.predictionFraming()).isEqualTo(PredictionFraming.SINGLE_OBJECT);
  }
}
