package io.streamsgd.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkFraming;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job's arguments from a Kafka properties file that also holds a schema registry's settings.
 */
class JobArgumentsTest {
  @Test
  void registrySettingsUnderConfluentsNamesBecomeTheJobsRegistryOptions() throws Exception {
    JobArguments args = new JobArguments();
    args.putKafkaProperties(
        Map.of(
            "security.protocol", "SSL",
            "schema.registry.url", "https://registry:8081",
            "basic.auth.user.info", "trainer:s3cret",
            "schema.registry.ssl.truststore.location", "/etc/registry/ca.p12",
            "schema.registry.ssl.truststore.password", "trust-pw",
            "schema.registry.ssl.endpoint.identification.algorithm", "https"));
    args.put(JobOptions.BOOTSTRAP_SERVERS.key(), "broker:9092");
    args.putArgs(List.of("--streamsgd.sink.framing", "CONFLUENT"));
    assertThat(args.options())
        .containsOnly(
            Map.entry("streamsgd.kafka.properties.security.protocol", "SSL"),
            Map.entry("streamsgd.registry.url", "https://registry:8081"),
            Map.entry("streamsgd.registry.basic-auth.user-info", "trainer:s3cret"),
            Map.entry("streamsgd.registry.ssl.truststore.location", "/etc/registry/ca.p12"),
            Map.entry("streamsgd.registry.ssl.truststore.password", "trust-pw"),
            Map.entry("streamsgd.kafka.bootstrap-servers", "broker:9092"),
            Map.entry("streamsgd.sink.framing", "CONFLUENT"));

    JobSettings s =
        JobSettings.from(StreamSgdJob.configuration(args.toArgs().toArray(String[]::new)));
    assertThat(s.sinkFraming).isEqualTo(SinkFraming.CONFLUENT);
    assertThat(s.registry.url()).isEqualTo("https://registry:8081");
    assertThat(s.registry.userInfo()).isEqualTo("trainer:s3cret");
    assertThat(s.registry.trustStore().location()).isEqualTo("/etc/registry/ca.p12");
    assertThat(s.kafkaClientProperties().stringPropertyNames())
        .as("no registry setting reaches the job's Kafka clients")
        .containsOnly("security.protocol", "bootstrap.servers");

    assertThat(args.masked())
        .contains("--streamsgd.registry.url https://registry:8081")
        .contains("--streamsgd.registry.basic-auth.user-info ****")
        .contains("--streamsgd.registry.ssl.truststore.password ****")
        .doesNotContain("s3cret", "trust-pw");
  }
}
