package io.streamsgd.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {
  static Configuration minimal() {
    Configuration c = new Configuration();
    c.set(JobOptions.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
    return c;
  }

  @Test
  void defaultsAreValidAndKafkaPropertiesPassThroughHidden() {
    Configuration c = minimal();
    c.setString("streamsgd.kafka.properties.sasl.jaas.config", "secret-password");
    JobSettings s = JobSettings.from(c);
    assertThat(s.stateBackend).isEqualTo(StateBackendKind.HASHMAP);
    assertThat(s.kafkaClientProperties()).containsEntry("sasl.jaas.config", "secret-password");
    assertThat(s.toString()).contains("sasl.jaas.config").doesNotContain("secret-password");
  }

  @Test
  void recordKeysAreModelIdsUnlessTheJobIsToldOtherwise() {
    Configuration c = minimal();
    assertThat(JobSettings.from(c).recordKey).isEqualTo(RecordKey.MODEL_ID);
    assertThat(io.streamsgd.job.train.TrainerOptions.from(JobSettings.from(c)).samples())
        .isEqualTo(new io.streamsgd.job.source.SampleFormat(1 << 20, 1 << 20, null));
    c.setString("streamsgd.source.record-key", "IGNORED");
    assertThat(JobSettings.from(c).recordKey).isEqualTo(RecordKey.IGNORED);
    c.setString("streamsgd.source.record-key", "USER_ID");
    assertThatThrownBy(() -> JobSettings.from(c)).hasMessageContaining("USER_ID");
  }

  @Test
  void confluentOutputNeedsARegistryAndRegistrySecretsAreHidden() {
    Configuration c = minimal();
    c.set(JobOptions.SINK_FRAMING, SinkFraming.CONFLUENT);
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining("streamsgd.sink.framing CONFLUENT needs a schema registry")
        .hasMessageContaining("streamsgd.registry.url");
    c.set(JobOptions.REGISTRY_URL, "https://registry:8081");
    c.set(JobOptions.REGISTRY_USER_INFO, "user:registry-secret");
    c.set(JobOptions.REGISTRY_TRUSTSTORE_LOCATION, "/etc/ca.p12");
    c.set(JobOptions.REGISTRY_TRUSTSTORE_PASSWORD, "trust-secret");
    JobSettings s = JobSettings.from(c);
    assertThat(s.registry.userInfo()).isEqualTo("user:registry-secret");
    assertThat(s.registry.trustStore().password()).isEqualTo("trust-secret");
    assertThat(s.toString())
        .contains("streamsgd.registry.basic-auth.user-info=hidden")
        .doesNotContain("registry-secret", "trust-secret");
    c.set(JobOptions.REGISTRY_URL, "registry:8081");
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining("streamsgd.registry.url")
        .hasMessageContaining("http:// or https://");
  }

  @Test
  void everyProblemIsNamedWithItsKeyAndRange() {
    Configuration c = new Configuration();
    c.set(JobOptions.MAX_RECORD_BYTES, 10);
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMinutes(10));
    c.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(5));
    c.set(JobOptions.SAMPLES_TOPIC, "bad topic");
    c.setString("streamsgd.sink.delivery-guarentee", "AT_LEAST_ONCE"); // misspelt
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining("streamsgd.kafka.bootstrap-servers is required")
        .hasMessageContaining(
            "streamsgd.source.max-record-bytes must be in [64, 1073741824], got 10")
        .hasMessageContaining(
            "streamsgd.sink.transaction-timeout (PT5M) must exceed streamsgd.checkpoint.interval (PT10M)")
        .hasMessageContaining("streamsgd.topic.samples must be a Kafka topic name")
        .hasMessageContaining("unknown option streamsgd.sink.delivery-guarentee");
  }

  @Test
  void aRangeIsWrittenOnceQuotedInTheDescriptionAndTheError() {
    Configuration c = minimal();
    c.set(JobOptions.SPEC_POLL_INTERVAL, Duration.ofMillis(5));
    c.set(JobOptions.MAX_PARALLELISM, 0);
    assertThat(
            new org.apache.flink.configuration.description.HtmlFormatter()
                .format(JobOptions.SPEC_POLL_INTERVAL.description()))
        .endsWith("Range [10 ms, 1 min].");
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining(
            "streamsgd.spec.wait-poll-interval must be in [10 ms, 1 min], got 5 ms")
        .hasMessageContaining("streamsgd.max-parallelism must be in [1, 32768], got 0");
  }

  @Test
  void aDefaultSpecWhoseVersionsChunkingCannotPublishFailsTheStartNamingTheFix() {
    io.streamsgd.schema.ModelSpec spec =
        io.streamsgd.core.spec.ModelSpecs.logisticRegression("default", 1 << 26, 0.1, 1);
    spec.setHashBits(26);
    Configuration c = minimal();
    c.set(JobOptions.MISSING_SPEC, MissingSpecPolicy.DEFAULT);
    c.set(JobOptions.DEFAULT_SPEC, io.streamsgd.core.avro.ModelSpecJson.toJson(spec));
    c.set(JobOptions.SINK_MAX_RECORD_BYTES, 65_536);
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining("streamsgd.spec.default: a version of its 67,108,865 parameters")
        .hasMessageContaining("use at most 24 hash bits");
    c.set(JobOptions.SINK_MAX_RECORD_BYTES, 1_000_000); // 872 chunks of a full model
    assertThat(JobSettings.from(c).sinkMaxRecordBytes).isEqualTo(1_000_000);
  }

  @Test
  void toStringNamesEveryOption() {
    String text = JobSettings.from(minimal()).toString();
    for (var option : JobOptions.all()) {
      assertThat(text).contains(option.key() + "=");
    }
    assertThat(text).contains("streamsgd.source.max-record-bytes=1048576");
  }

  @Test
  void aMisspeltEnumValueFailsAtStart() {
    Configuration c =
        Configuration.fromMap(
            Map.of("streamsgd.kafka.bootstrap-servers", "x:1", "streamsgd.state.backend", "ROCKS"));
    assertThatThrownBy(() -> JobSettings.from(c)).hasMessageContaining("ROCKS");
  }

  @Test
  void sinkCompressionIsAKafkaCompressionType() {
    assertThat(JobSettings.from(minimal()).sinkCompression.kafkaName()).isEqualTo("lz4");
    Configuration c =
        Configuration.fromMap(
            Map.of(
                "streamsgd.kafka.bootstrap-servers", "x:1", "streamsgd.sink.compression", "NONE"));
    assertThat(JobSettings.from(c).sinkCompression.kafkaName()).isEqualTo("none");
    for (SinkCompression kind : SinkCompression.values()) {
      // every value is one the producer accepts
      assertThat(org.apache.kafka.common.record.CompressionType.forName(kind.kafkaName()).name)
          .isEqualTo(kind.kafkaName());
    }
    Configuration bad =
        Configuration.fromMap(
            Map.of(
                "streamsgd.kafka.bootstrap-servers",
                "x:1",
                "streamsgd.sink.compression",
                "BROTLI"));
    assertThatThrownBy(() -> JobSettings.from(bad)).hasMessageContaining("BROTLI");
  }

  @Test
  void metricsModelIdsAreAShortListOfModelIds() {
    Configuration c = new Configuration();
    c.set(JobOptions.BOOTSTRAP_SERVERS, "localhost:9092");
    assertThat(JobSettings.from(c).metricsModelIds).isEmpty();
    c.set(JobOptions.METRICS_MODEL_IDS, " linear-fast, logistic,linear-fast ");
    assertThat(JobSettings.from(c).metricsModelIds).containsExactly("linear-fast", "logistic");
    c.set(JobOptions.METRICS_MODEL_IDS, "ok,no/such id");
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining("streamsgd.metrics.model-ids: 'no/such id' is not a model id");
    c.set(
        JobOptions.METRICS_MODEL_IDS,
        String.join(",", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "m" + i).toList()));
    assertThatThrownBy(() -> JobSettings.from(c))
        .hasMessageContaining(
            "streamsgd.metrics.model-ids (number of ids) must be in [0, 100], got 101");
  }
}
