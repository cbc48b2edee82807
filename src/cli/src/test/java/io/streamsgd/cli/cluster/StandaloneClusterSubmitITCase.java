package io.streamsgd.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real Flink standalone cluster: a JobManager and two TaskManagers as
 * separate JVM processes with nothing of streamsgd on their class path, the jar uploaded and
 * run over REST exactly as {@code flink run} does, training from a real broker.
 */
class StandaloneClusterSubmitITCase {

  static Path jobJar() {
    Path jar = Path.of(System.getProperty("streamsgd.job.jar", "missing"));
    assertThat(jar).as("shaded job jar (set streamsgd.job.jar)").exists();
    return jar;
  }

  @Test
  void shadedJarRunsOnSeparateJobManagerAndTaskManagerProcesses(@TempDir Path tmp) throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("a", ModelSpecs.linearRegression("a", 3, 0.1, 20));
    specs.put("b", ModelSpecs.logisticRegression("b", 3, 0.5, 25));
    int n = 2000;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"));
        StandaloneFlinkCluster flink = StandaloneFlinkCluster.start(Files.createDirectories(tmp.resolve("flink")), 2, Map.of())) {
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      io.create("samples", 2, false);
      io.create("model-specs", 1, true);
      io.create("models", 2, true);
      io.create("dead-letters", 1, false);
      TestInput.produce(io, "samples", "model-specs", specs, n, 5);

      FlinkRestClient rest = flink.rest();
      String jarId = rest.uploadJar(jobJar());
      String jobId =
          rest.runJar(
              jarId,
              List.of(
                  "--streamsgd.kafka.bootstrap-servers", kafka.bootstrapServers(),
                  "--streamsgd.checkpoint.interval", "1 s"),
              null,
              2);
      try {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
            io.readCommitted("models", Duration.ofMinutes(3), l -> ReplayCheck.allSeen(l, Map.of("a", (long) n, "b", (long) n)));
        Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
        updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, n));
        ReplayCheck.assertReplayMatches(io.readCommitted("samples", Duration.ofSeconds(5), l -> false), specs, updates);
        assertThat(rest.jobState(jobId)).isEqualTo("RUNNING");
      } finally {
        rest.cancel(jobId);
      }
    }
  }
}
