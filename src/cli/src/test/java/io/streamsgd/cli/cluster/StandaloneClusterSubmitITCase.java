package io.streamsgd.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.cli.testing.CliRun;
import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.KafkaBrokerProcess;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The deployment path as a user takes it, on real separate processes: a Kafka broker process, a
 * Flink JobManager and two TaskManagers with nothing of streamsgd on their class path. {@code
 * streamsgd topics create} makes the topics, {@code streamsgd submit} uploads the shaded jar and
 * runs it over REST, the models appear on the output topic; {@code streamsgd stop} takes a
 * savepoint and {@code streamsgd submit --from-savepoint} resumes from it, as an upgrade does.
 */
class StandaloneClusterSubmitITCase {
  private static final Pattern JOB_ID = Pattern.compile("job ([0-9a-f]{32}) submitted");

  static String jobId(String submitOutput) {
    Matcher m = JOB_ID.matcher(submitOutput);
    assertThat(m.find()).as(submitOutput).isTrue();
    return m.group(1);
  }

  @Test
  void submittedWithTheCliOnSeparateProcessesAndUpgradedThroughASavepoint() throws Exception {
    // Under target/, not a temporary folder: the processes' logs stay for a post-mortem.
    Path tmp = CliRun.workDir("cli-submit");
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("a", ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("a", 3, 0.1, 20), 20));
    specs.put("b", ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("b", 3, 0.5, 25), 25));
    int n = 2000;
    try (KafkaBrokerProcess kafka =
            KafkaBrokerProcess.start(tmp.resolve("kafka"), Map.of(), Duration.ofMinutes(1));
        StandaloneFlinkCluster flink =
            StandaloneFlinkCluster.start(
                Files.createDirectories(tmp.resolve("flink")), 2, Map.of())) {
      // the test's samples are stamped 2026-01-01: a 7-day retention would delete them
      String topics =
          CliRun.streamsgd(
              "topics",
              "create",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--partitions",
              "2",
              "--replication-factor",
              "1",
              "--samples-retention",
              "P0D");
      assertThat(topics).contains("created  models").contains("created  model-specs");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        Map<String, TopicDescription> d =
            admin
                .describeTopics(List.of("samples", "model-specs", "models", "prediction-requests"))
                .allTopicNames()
                .get();
        assertThat(d.get("samples").partitions()).hasSize(2);
        assertThat(d.get("model-specs").partitions()).hasSize(1);
        assertThat(d.get("prediction-requests").partitions()).hasSize(2);
        ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, "models");
        assertThat(
                admin
                    .describeConfigs(List.of(models))
                    .all()
                    .get()
                    .get(models)
                    .get("cleanup.policy")
                    .value())
            .isEqualTo("compact");
        ConfigResource samples = new ConfigResource(ConfigResource.Type.TOPIC, "samples");
        assertThat(
                admin
                    .describeConfigs(List.of(samples))
                    .all()
                    .get()
                    .get(samples)
                    .get("retention.ms")
                    .value())
            .isEqualTo("-1");
      }
      // a second run keeps and checks what exists
      assertThat(
              CliRun.streamsgd(
                  "topics",
                  "create",
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--partitions",
                  "2",
                  "--replication-factor",
                  "1"))
          .contains("exists   models")
          .doesNotContain("created");

      TopicIO io = new TopicIO(kafka.bootstrapServers());
      TestInput.produce(io, "samples", "model-specs", specs, n, 0);
      List<String> submit =
          new ArrayList<>(
              List.of(
                  "submit",
                  "--rest",
                  flink.restUrl(),
                  "--jar",
                  StandaloneClusterSubmitITCase.jobJar().toString(),
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--parallelism",
                  "2",
                  "--",
                  "--streamsgd.checkpoint.interval",
                  "1 s",
                  "--streamsgd.source.starting-offsets",
                  "EARLIEST"));
      String jobId = jobId(CliRun.streamsgd(submit.toArray(String[]::new)));
      FlinkRestClient rest = flink.rest();
      io.readCommitted(
          "models",
          Duration.ofMinutes(3),
          l -> ReplayCheck.allSeen(l, Map.of("a", (long) n, "b", (long) n)));
      assertThat(rest.jobState(jobId)).isEqualTo("RUNNING");

      // Stop with a savepoint, let more samples arrive, submit again from the savepoint: an
      // upgrade.
      String savepoint =
          CliRun.streamsgd(
                  "stop",
                  "--rest",
                  flink.restUrl(),
                  "--savepoint-dir",
                  flink.directory().resolve("savepoints").toUri().toString(),
                  jobId)
              .trim();
      assertThat(rest.jobState(jobId)).isEqualTo("FINISHED");
      List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> more =
          TestInput.samples("samples", specs, 2 * n, 0);
      io.produce(
          "samples", more.subList(more.size() / 2, more.size())); // samples n..2n-1 of each model
      submit.addAll(3, List.of("--from-savepoint", savepoint));
      String restored = jobId(CliRun.streamsgd(submit.toArray(String[]::new)));
      try {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
            io.readCommitted(
                "models",
                Duration.ofMinutes(3),
                l -> ReplayCheck.allSeen(l, Map.of("a", 2L * n, "b", 2L * n)));
        Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
        // versions carry on across the savepoint, without gap or duplicate
        updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, 2 * n));
        ReplayCheck.assertReplayMatches(io.readAllCommitted("samples"), specs, updates);
      } finally {
        rest.cancel(restored);
      }
    }
  }

  static Path jobJar() {
    Path jar = Path.of(System.getProperty("streamsgd.job.jar", "missing"));
    assertThat(jar).as("shaded job jar (set streamsgd.job.jar)").exists();
    return jar;
  }
}
