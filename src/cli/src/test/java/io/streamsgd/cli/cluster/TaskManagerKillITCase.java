package io.streamsgd.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.cli.testing.CliRun;
import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.Sample;
import io.streamsgd.embedded.KafkaBrokerProcess;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.process.JvmProcess;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kill -9 TaskManagers of a real multi-process Flink cluster while models train from a real broker
 * process, three times at random moments; a supervisor starts a replacement for every TaskManager
 * that exits, as Kubernetes would (a surviving TaskManager may end itself on a fatal error while
 * its tasks clean up after the lost peer, and needs replacing too). Afterwards every model has seen
 * exactly the samples produced, a read_committed consumer saw versions 1..N without gap or
 * duplicate, and the parameters are bit-identical to a failure-free run; one model is published in
 * chunks, and a reader assembles each of its versions whole, once, in order.
 */
class TaskManagerKillITCase {
  /**
   * Samples per model: 6,240 x scale, scale 1, 5, 9, ...: batches of 20, 32 and 48 divide it, and
   * the growing batches (800 + 1,600 + 3,200 in their first 150 updates, then 128 each) leave no
   * partial batch. The soak profile raises the scale, the kills and the stream's length.
   */
  static final int N = 6240 * Integer.getInteger("streamsgd.kill.scale", 1);

  static final int KILLS = Integer.getInteger("streamsgd.kill.count", 3);
  static final Duration STREAM =
      Duration.ofSeconds(Integer.getInteger("streamsgd.kill.stream-seconds", 40));
  static final long SEED = Long.getLong("streamsgd.kill.seed", System.nanoTime());

  static Map<String, ModelSpec> specs() {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put(
        "fixed-a",
        ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("fixed-a", 3, 0.1, 20), 20));
    specs.put(
        "fixed-b",
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("fixed-b", 3, 0.5, 32), 32));
    ModelSpec growing = ModelSpecs.linearRegression("growing", 3, 0.05, 16);
    growing.getBatch().setKind(BatchPolicyKind.INCREASING);
    growing.getBatch().setGrowthFactor(2.0);
    growing.getBatch().setGrowthSteps(50);
    growing.getBatch().setMaxSize(128);
    growing.getBatch().setMaxLatencyMs(0);
    specs.put("growing", growing);
    // 2^14 hashed features under a 16 KiB record limit: its versions go out in chunks, and a
    // kill may fall between a version's chunks.
    ModelSpec wide =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("wide", 1 << 14, 0.5, 48), 48);
    wide.setHashBits(14);
    specs.put("wide", wide);
    // its classes swap halfway (TestInput): DDM warns, a background model learns, and is promoted
    ModelSpec drifting =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("drifting", 3, 0.5, 20), 20);
    drifting.setDrift(
        io.streamsgd.schema.DriftSpec.newBuilder()
            .setDetector(io.streamsgd.schema.DriftDetectorName.DDM)
            .setSignal(io.streamsgd.schema.DriftSignalSource.ERROR)
            .setReaction(io.streamsgd.schema.DriftReaction.BACKGROUND)
            .setParameters(Map.of())
            .build());
    specs.put("drifting", drifting);
    return specs;
  }

  @ParameterizedTest(name = "{0} state backend")
  @ValueSource(strings = {"HASHMAP", "ROCKSDB"})
  void killedTaskManagersLoseNothingAndChangeNothing(String backend) throws Exception {
    Random rnd = new Random(SEED);
    System.out.println(
        "kill schedule seed " + SEED + " (rerun with -Dstreamsgd.kill.seed=" + SEED + ")");
    Map<String, ModelSpec> specs = specs();
    Path dir = CliRun.workDir("tm-kill-" + backend.toLowerCase(java.util.Locale.ROOT));
    try (KafkaBrokerProcess kafka =
            KafkaBrokerProcess.start(dir.resolve("kafka"), Map.of(), Duration.ofMinutes(1));
        StandaloneFlinkCluster flink =
            StandaloneFlinkCluster.start(dir.resolve("flink"), 2, Map.of())) {
      flink.superviseTaskManagers(2);
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      io.create("samples", 4, false);
      io.create("model-specs", 1, true);
      io.createModels("models", 2);
      io.create("dead-letters", 1, false);
      io.create("model-events", 1, false);

      FlinkRestClient rest = flink.rest();
      String jobId =
          rest.runJar(
              rest.uploadJar(StandaloneClusterSubmitITCase.jobJar()),
              List.of(
                  "--streamsgd.kafka.bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--streamsgd.checkpoint.interval",
                  "1 s",
                  "--streamsgd.state.backend",
                  backend,
                  "--streamsgd.sink.max-record-bytes",
                  String.valueOf(1 << 14)),
              null,
              2);
      assertThat(rest.checkpointConfig(jobId).path("state_backend").asText())
          .as("state backend in use")
          .isEqualTo(
              backend.equals("ROCKSDB") ? "EmbeddedRocksDBStateBackend" : "HashMapStateBackend");
      // The TaskManagers die while the stream flows.
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  TestInput.produceOver(io, "samples", "model-specs", specs, N, STREAM);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      List<Long> killed = new ArrayList<>();
      long pause =
          STREAM.toMillis() / (KILLS + 1); // kills spread over the stream, at random moments
      for (int kill = 0; kill < KILLS; kill++) {
        Thread.sleep(pause / 2 + rnd.nextInt((int) pause));
        List<JvmProcess> alive = flink.taskManagers().stream().filter(JvmProcess::isAlive).toList();
        JvmProcess victim = alive.get(rnd.nextInt(alive.size()));
        killed.add(victim.pid());
        victim.kill();
        flink.awaitSettled(
            2, Duration.ofMinutes(3)); // the dead one timed out, its replacement registered
      }
      producing.get();
      List<Long> exitedOnTheirOwn =
          flink.taskManagers().stream()
              .filter(tm -> !tm.isAlive())
              .map(JvmProcess::pid)
              .filter(pid -> !killed.contains(pid))
              .toList();
      if (!exitedOnTheirOwn.isEmpty()) {
        System.out.println(
            "TaskManagers that ended themselves after a peer's loss (replaced): "
                + exitedOnTheirOwn);
      }

      Map<String, Long> expected = new LinkedHashMap<>();
      specs.keySet().forEach(id -> expected.put(id, (long) N));
      List<ConsumerRecord<byte[], byte[]>> records;
      try {
        records =
            io.readCommitted(
                "models",
                Duration.ofMinutes(4).plus(STREAM),
                l -> ReplayCheck.allSeen(l, expected));
        if (!ReplayCheck.allSeen(records, expected)) {
          System.out.println(
              "not every sample trained in time; job "
                  + rest.jobState(jobId)
                  + ", TaskManagers registered "
                  + flink.rest().overview().path("taskmanagers").asInt()
                  + ", checkpoints "
                  + rest.checkpoints(jobId).path("counts"));
        }
        assertThat(rest.failures(jobId))
            .as("failures the job recovered from")
            .isGreaterThanOrEqualTo(KILLS);
        // Right after a kill the JobManager may still deploy to the dead TaskManager's slots and
        // restart until its heartbeat times out: the job must come back, not fail.
        assertThat(
                rest.awaitState(
                    jobId,
                    java.util.Set.of("RUNNING", "FAILED", "CANCELED", "FINISHED"),
                    Duration.ofMinutes(3)))
            .isEqualTo("RUNNING");
      } finally {
        rest.cancel(jobId);
      }
      assertThat(killed).hasSize(KILLS);

      Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
      // The chunked model: records within the limit, and a reader that assembles every version
      // once, in order (a version is whole only with all its chunks, of one transaction).
      VersionAssembler reader = VersionAssembler.inMemory();
      ReplayCheck.offerPublishedSpecs(io, "models", reader);
      long assembled = 0;
      int chunks = 0;
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.value() != null) {
          assertThat(r.value().length).isLessThanOrEqualTo(1 << 14);
          ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
          chunks += u.getChunk() != null ? 1 : 0;
          Optional<ModelUpdate> whole = reader.offer(u);
          if (whole.isPresent() && whole.get().getModelId().equals("wide")) {
            assertThat(whole.get().getVersion()).isEqualTo(++assembled);
          }
        }
      }
      assertThat(assembled).isEqualTo(N / 48);
      assertThat(chunks).as("chunk records").isGreaterThan(N / 48);
      Map<String, List<Sample>> samples =
          ReplayCheck.samplesByModel(io.readAllCommitted("samples"));
      for (Map.Entry<String, ModelSpec> e : specs.entrySet()) {
        String model = e.getKey();
        List<ModelUpdate> versions = updates.get(model);
        ReplayCheck.assertContiguous(model, versions, N);
        // the very batches a failure-free run cuts
        List<Integer> published = versions.stream().map(ModelUpdate::getBatchSize).toList();
        assertThat(published)
            .as("batches of %s", model)
            .isEqualTo(ReplayCheck.expectedBatchSizes(e.getValue(), samples.get(model)));
      }
      ReplayCheck.assertReplayMatches(io.readAllCommitted("samples"), specs, updates);
      // The detector's state came through every kill: the drift events are the failure-free
      // run's, each published once.
      List<String> events = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : io.readAllCommitted("model-events")) {
        io.streamsgd.schema.DriftEvent e = Codecs.DRIFT_EVENT.decode(r.value());
        events.add(e.getKind() + " " + e.getVersion() + " " + e.getSample());
      }
      List<String> expectedEvents =
          ReplayCheck.expectedDriftEvents(specs.get("drifting"), samples.get("drifting"));
      assertThat(expectedEvents).anyMatch(e -> e.startsWith("BACKGROUND_PROMOTED"));
      assertThat(events).isEqualTo(expectedEvents);
    }
  }
}
