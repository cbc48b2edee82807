package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.streamsgd.core.publish.ChunkKeys;
import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.sink.KafkaSinks;
import io.streamsgd.job.source.KafkaSources;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.testing.FailOnceAfterCheckpoint;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.TimeDomain;
import io.streamsgd.schema.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Count- and event-time-based batch boundaries replay bit for bit: the same input trained twice,
 * and once more with a failure injected mid-stream (restored from the last checkpoint), gives the
 * same versions, the same batches and byte-identical parameters, under a fixed-size, a norm-test
 * and an event-time size-or-latency policy, and the same published versions under a publication
 * schedule; a model published in chunks gives the same chunk records and tombstones, and every
 * version assembled from them is whole.
 */
class DeterministicReplayITCase {
  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  static TopicIO io;
  static Topics topics;
  static final int N = 2000;
  static final Map<String, ModelSpec> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put(
        "fixed", ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("fixed", 3, 0.1, 25), 25));
    ModelSpec norm = ModelSpecs.logisticRegression("norm", 3, 0.5, 4);
    norm.getBatch().setKind(BatchPolicyKind.NORM_TEST);
    norm.getBatch().setTheta(0.8);
    norm.getBatch().setMinSize(2);
    norm.getBatch().setMaxSize(200);
    norm.getBatch().setMaxLatencyMs(0);
    SPECS.put("norm", norm);
    ModelSpec event =
        ModelSpecs.of("event", Task.REGRESSION, Loss.SQUARED, 3, 0.05, 0.0, 1000, 300);
    event.getBatch().setTimeDomain(TimeDomain.EVENT_TIME); // samples are 10 ms apart: 30 per batch
    SPECS.put("event", event);
    ModelSpec scheduled =
        ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("scheduled", 3, 0.1, 5), 5);
    scheduled
        .getPublication()
        .setEveryUpdates(7); // 400 updates: 7, 14, ..., 399, and 400 at the end
    SPECS.put("scheduled", scheduled);
    // 2^14 hashed features, about 2,000 of them seen: versions go out in chunks of 16 KiB.
    ModelSpec wide =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("wide", 1 << 14, 0.5, 50), 50);
    wide.setHashBits(14);
    SPECS.put("wide", wide);
  }

  @BeforeAll
  static void setUp() throws Exception {
    io = KAFKA_FLINK.io();
    topics = KAFKA_FLINK.topics(3, 2); // its models topic stays empty: each run has its own
    TestInput.produce(io, topics.samples(), topics.specs(), SPECS, N, 0);
  }

  static JobSettings settings(String run) throws Exception {
    return settings(run, new Configuration());
  }

  static JobSettings settings(String run, Configuration options) throws Exception {
    io.createModels(topics.name("models-" + run), 2);
    Configuration c = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.addAll(options);
    c.set(JobOptions.MODELS_TOPIC, topics.name("models-" + run));
    c.set(JobOptions.GROUP_ID, topics.name("replay-" + run));
    c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, topics.name("replay-" + run));
    c.set(JobOptions.BOUNDED, true);
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
    c.set(JobOptions.SINK_MAX_RECORD_BYTES, 1 << 14);
    return JobSettings.from(c);
  }

  /** Each model's updates, as read by a read_committed consumer. */
  static Map<String, List<ModelUpdate>> updates(String run) throws Exception {
    return ReplayCheck.updatesByModel(records(run));
  }

  static List<ConsumerRecord<byte[], byte[]>> records(String run) {
    Map<String, Long> all = new LinkedHashMap<>();
    SPECS.keySet().forEach(id -> all.put(id, (long) N));
    return io.readCommitted(
        topics.name("models-" + run), Duration.ofSeconds(60), l -> ReplayCheck.allSeen(l, all));
  }

  /**
   * The wide model's records in order: key, chunk and version, or a tombstone; and every version a
   * reader assembles from them, which must be whole and never older than the one before.
   */
  static List<String> wideRecords(String run) throws Exception {
    List<String> out = new ArrayList<>();
    VersionAssembler reader = VersionAssembler.inMemory();
    // The spec first: every version names it, and it was written before the first of them.
    ReplayCheck.offerPublishedSpecs(io, topics.name("models-" + run), reader);
    long last = 0;
    for (ConsumerRecord<byte[], byte[]> r : records(run)) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (!ChunkKeys.modelId(key).equals("wide")) {
        continue;
      }
      if (r.value() == null) {
        out.add(key.replace('\0', '/') + " tombstone");
        continue;
      }
      ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
      out.add(key.replace('\0', '/') + " v" + u.getVersion() + " " + u.getChunk());
      Optional<ModelUpdate> whole = reader.offer(u);
      if (whole.isPresent()) {
        assertThat(whole.get().getVersion()).isEqualTo(last + 1);
        last = whole.get().getVersion();
      }
    }
    assertThat(last).as("versions a reader assembled").isEqualTo(N / 50);
    return out;
  }

  static Map<String, List<ModelUpdate>> run(String name) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    StreamSgdJob.build(env, settings(name));
    env.execute(name);
    return updates(name);
  }

  /**
   * Runs the job with a failure thrown mid-stream, after a checkpoint completed, and restarts;
   * returns the checkpoints that completed.
   */
  static List<AbstractCheckpointStats> failedAndRecovered(String name, boolean unaligned)
      throws Exception {
    Configuration options = new Configuration();
    options.set(JobOptions.CHECKPOINT_UNALIGNED, unaligned);
    JobSettings s = settings(name, options);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    env.configure(restarts);
    StreamSgdJob.configure(env, s);
    DataStream<RawRecord> samples =
        env.fromSource(KafkaSources.samples(s), StreamSgdJob.sampleWatermarks(s), "samples")
            .map(new FailOnceAfterCheckpoint(N / 2));
    DataStream<RawRecord> specs =
        env.fromSource(KafkaSources.specs(s), StreamSgdJob.specWatermarks(), "specs")
            .setParallelism(1);
    TrainerPipeline.Outputs out = TrainerPipeline.attach(samples, specs, s);
    KafkaSinks.models(out.updates(), s);
    out.deadLetters().sinkTo(KafkaSinks.deadLetters(s));
    FailOnceAfterCheckpoint.FAILED.set(false);
    JobClient job = env.executeAsync(name);
    job.getJobExecutionResult().get();
    assertThat(FailOnceAfterCheckpoint.FAILED.get()).as("the failure was injected").isTrue();
    return KAFKA_FLINK
        .miniCluster()
        .getArchivedExecutionGraph(job.getJobID())
        .get()
        .getCheckpointStatsSnapshot()
        .getHistory()
        .getCheckpoints()
        .stream()
        .filter(c -> c.getStatus() == CheckpointStatsStatus.COMPLETED)
        .toList();
  }

  @Test
  void replaysAndRecoveryGiveIdenticalModelBytes() throws Exception {
    Map<String, List<ModelUpdate>> first = run("first");
    Map<String, List<ModelUpdate>> second = run("second");

    // The same job with a failure thrown mid-stream, after a checkpoint completed; once with
    // aligned checkpoints, once with unaligned ones (the records in flight are restored too).
    assertThat(failedAndRecovered("failure", false))
        .isNotEmpty()
        .noneMatch(c -> c.isUnalignedCheckpoint());
    Map<String, List<ModelUpdate>> recovered = updates("failure");
    // Barriers overtook records in flight, which went into the checkpoint (the checkpoints after
    // the sources finished are aligned: nothing is in flight any more).
    assertThat(failedAndRecovered("failure-unaligned", true))
        .anyMatch(c -> c.isUnalignedCheckpoint() && c.getPersistedData() > 0);
    Map<String, List<ModelUpdate>> recoveredUnaligned = updates("failure-unaligned");

    // The wide model went out in chunks, with the same records in every run; a reader assembled
    // every version once, in order, never a mix (a mix would not equal the first run's bytes).
    List<String> wide = wideRecords("first");
    assertThat(wide).filteredOn(r -> r.contains("index")).hasSizeGreaterThan(N / 50);
    assertThat(wideRecords("second")).isEqualTo(wide);
    assertThat(wideRecords("failure")).isEqualTo(wide);
    assertThat(wideRecords("failure-unaligned")).isEqualTo(wide);

    for (String model : SPECS.keySet()) {
      if (!model.equals("scheduled")) {
        ReplayCheck.assertContiguous(model, first.get(model), N);
      }
      assertSameVersions(
          "second run of " + model, fingerprint(second.get(model)), fingerprint(first.get(model)));
      assertSameVersions(
          "recovered run of " + model,
          fingerprint(recovered.get(model)),
          fingerprint(first.get(model)));
      assertSameVersions(
          "recovered run of " + model + " with unaligned checkpoints",
          fingerprint(recoveredUnaligned.get(model)),
          fingerprint(first.get(model)));
    }
    // The publication schedule published every 7th version, and the last at the end of input.
    List<Long> expected = new ArrayList<>();
    for (long v = 7; v <= 400; v += 7) {
      expected.add(v);
    }
    expected.add(400L);
    assertThat(first.get("scheduled")).extracting(ModelUpdate::getVersion).isEqualTo(expected);
    assertThat(first.get("scheduled").get(expected.size() - 1).getSamplesSeen()).isEqualTo(N);
    // The policies did what they are for.
    assertThat(first.get("fixed")).allSatisfy(u -> assertThat(u.getBatchSize()).isEqualTo(25));
    assertThat(first.get("norm"))
        .extracting(ModelUpdate::getCloseReason)
        .contains(BatchCloseReason.TEST_PASSED);
    assertThat(first.get("norm").stream().map(ModelUpdate::getBatchSize).distinct().count())
        .as("adaptive sizes")
        .isGreaterThan(5);
    List<ModelUpdate> event = first.get("event");
    assertThat(event.subList(0, event.size() - 1))
        .allSatisfy(
            u -> {
              assertThat(u.getBatchSize()).isEqualTo(30);
              assertThat(u.getCloseReason()).isEqualTo(BatchCloseReason.LATENCY);
            });
  }

  /**
   * {@code actual} equals {@code expected}, the first run's, entry for entry. Two runs' lists are
   * long and alike: a difference is reported by where it starts (both sizes, the first differing
   * index and both entries there), not by printing both lists.
   */
  static void assertSameVersions(String run, List<String> actual, List<String> expected) {
    if (actual.equals(expected)) {
      return;
    }
    int i = 0;
    while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) {
      i++;
    }
    fail(
        "%s: %d versions, the first run %d; the first %d are equal, then at index %d:%n"
            + "  first run: %s%n"
            + "  this run:  %s",
        run,
        actual.size(),
        expected.size(),
        i,
        i,
        i < expected.size() ? expected.get(i) : "(none)",
        i < actual.size() ? actual.get(i) : "(none)");
  }

  /**
   * Per version: version, batch size, close reason, next target and the parameters' Avro bytes
   * (none for a run that published nothing).
   */
  static List<String> fingerprint(List<ModelUpdate> updates) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (ModelUpdate u : updates == null ? List.<ModelUpdate>of() : updates) {
      ByteBuffer params = LinearParameters.getEncoder().encode(u.getParameters());
      out.add(
          u.getVersion()
              + ":"
              + u.getBatchSize()
              + ":"
              + u.getCloseReason()
              + ":"
              + u.getNextBatchTarget()
              + ":"
              + java.util.HexFormat.of()
                  .formatHex(params.array(), params.position(), params.limit()));
    }
    return out;
  }
}
