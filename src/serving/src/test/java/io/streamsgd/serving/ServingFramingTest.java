package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.codec.Codecs;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The serving app's framing from its settings: the registry from the Kafka properties, the
 * predictions' schema registered at start-up, and no registry setting handed to Kafka or logged.
 */
class ServingFramingTest {
  static ServingSettings settings(Map<String, String> kafka) {
    return ServingSettings.defaults("broker:9092", Path.of("unused")).withKafkaProperties(kafka);
  }

  @Test
  void confluentPredictionsRegisterTheirSchemaUnderThePredictionsTopicOnce() throws Exception {
    try (StubSchemaRegistry stub = new StubSchemaRegistry()) {
      ServingSettings s =
          settings(Map.of("schema.registry.url", stub.url()))
              .withPredictionFraming(PredictionFraming.CONFLUENT);
      ServingFraming framing = ServingFraming.of(s);
      assertThat(framing.registry()).isSameAs(stub.registry());
      assertThat(framing.predictionSchemaId()).isEqualTo(1);
      assertThat(stub.registeredSubjects()).containsExactly("predictions-value");
      assertThat(stub.registry().writerSchema(1)).contains(Codecs.PREDICTION.schema());

      ServingFraming httpOnly = ServingFraming.of(s.withRequestsTopic(null));
      assertThat(httpOnly.predictionSchemaId()).as("no prediction is written").isNull();
      assertThat(stub.registeredSubjects()).hasSize(1);
    }
  }

  @Test
  void aRegistryAloneReadsBothFramingsAndStillWritesSingleObject() throws Exception {
    try (StubSchemaRegistry stub = new StubSchemaRegistry()) {
      ServingFraming framing =
          ServingFraming.of(settings(Map.of("schema.registry.url", stub.url())));
      assertThat(framing.registry()).isSameAs(stub.registry());
      assertThat(framing.predictionSchemaId()).isNull();
      assertThat(stub.registeredSubjects()).isEmpty();
    }
    assertThat(ServingFraming.of(settings(Map.of()))).isEqualTo(ServingFraming.NONE);
  }

  @Test
  void confluentPredictionsWithoutARegistryAreRefusedAtStartUp() {
    assertThatThrownBy(
            () ->
                ServingFraming.of(
                    settings(Map.of("security.protocol", "SSL"))
                        .withPredictionFraming(PredictionFraming.CONFLUENT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "predictions in the CONFLUENT framing need a schema registry: set schema.registry.url"
                + " among the Kafka properties");
  }

  @Test
  void registrySettingsStayOutOfKafkaAndTheirValuesOutOfTheLog() {
    ServingSettings s =
        settings(
            Map.of(
                "schema.registry.url", "https://registry:8081",
                "basic.auth.user.info", "serving:s3cret",
                "schema.registry.ssl.truststore.password", "trust-pw",
                "security.protocol", "SSL"));
    Properties streams = s.streamsProperties(null);
    assertThat(streams).containsEntry("security.protocol", "SSL");
    assertThat(streams.keySet())
        .doesNotContain(
            "schema.registry.url",
            "basic.auth.user.info",
            "schema.registry.ssl.truststore.password");
    assertThat(s.kafkaClientProperties())
        .containsOnly(
            Map.entry("security.protocol", "SSL"), Map.entry("bootstrap.servers", "broker:9092"));
    assertThat(s.toString())
        .contains("basic.auth.user.info", "predictionFraming=SINGLE_OBJECT")
        .doesNotContain("s3cret", "trust-pw", "registry:8081");
  }
}
