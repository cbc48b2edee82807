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
 * run over REST exactly as {@code flink run} does, training from a real broker; then stopped
 * with a savepoint and run again from it, as an upgrade would.
 */
class StandaloneClusterSubmitITCase {

  static Path jobJar() {
    Path jar = Path.of(System.getProperty("streamsgd.job.jar", "missing"));
    assertThat(jar).as("shaded job jar (set streamsgd.job.jar)").exists();
    return jar;
  }

  @Test
  void shadedJarRunsOnSeparateProcessesAndUpgradesThroughASavepoint(@TempDir Path tmp) throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("a", ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("a", 3, 0.1, 20), 20));
    specs.put("b", ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("b", 3, 0.5, 25), 25));
    int n = 2000;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"));
        StandaloneFlinkCluster flink = StandaloneFlinkCluster.start(Files.createDirectories(tmp.resolve("flink")), 2, Map.of())) {
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      io.create("samples", 2, false);
      io.create("model-specs", 1, true);
      io.create("models", 2, true);
      io.create("dead-letters", 1, false);
      TestInput.produce(io, "samples", "model-specs", specs, n, 0);

      FlinkRestClient rest = flink.rest();
      String jarId = rest.uploadJar(jobJar());
      List<String> args =
          List.of(
              "--streamsgd.kafka.bootstrap-servers", kafka.bootstrapServers(),
              "--streamsgd.checkpoint.interval", "1 s",
              "--streamsgd.source.starting-offsets", "EARLIEST");
      String jobId = rest.runJar(jarId, args, null, 2);
      io.readCommitted("models", Duration.ofMinutes(3), l -> ReplayCheck.allSeen(l, Map.of("a", (long) n, "b", (long) n)));
      assertThat(rest.jobState(jobId)).isEqualTo("RUNNING");

      // Stop with a savepoint, let more samples arrive, run the jar again from the savepoint: an upgrade.
      String savepoint = rest.stopWithSavepoint(jobId, flink.directory().resolve("savepoints").toUri().toString(), Duration.ofMinutes(2));
      List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> more = TestInput.samples("samples", specs, 2 * n, 0);
      io.produce("samples", more.subList(more.size() / 2, more.size())); // samples n..2n-1 of each model
      String restored = rest.runJar(jarId, args, savepoint, 2);
      try {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
            io.readCommitted("models", Duration.ofMinutes(3), l -> ReplayCheck.allSeen(l, Map.of("a", 2L * n, "b", 2L * n)));
        Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
        // versions carry on across the savepoint, without gap or duplicate
        updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, 2 * n));
        ReplayCheck.assertReplayMatches(io.readCommitted("samples", Duration.ofSeconds(5), l -> false), specs, updates);
      } finally {
        rest.cancel(restored);
      }
    }
  }
}
