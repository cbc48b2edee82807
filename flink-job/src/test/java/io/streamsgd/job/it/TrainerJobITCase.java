package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer job end to end on a real Kafka broker and a real Flink MiniCluster (parallelism
 * 2): exactly-once model versions, exact sample counts, and parameters equal to a plain
 * single-threaded replay of the same batches.
 */
class TrainerJobITCase {
  private static final int PARALLELISM = 2;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              .build());

  @TempDir static Path tmp;
  static EmbeddedKafkaBroker kafka;
  static TopicIO kafkaIo;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafkaBroker.start(tmp);
    kafkaIo = new TopicIO(kafka.bootstrapServers());
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Topics of one test run, with unique names so tests share the broker. */
  record Topics(String samples, String specs, String models, String deadLetters) {
    static Topics create(TopicIO kafkaIo) throws Exception {
      String run = UUID.randomUUID().toString().substring(0, 8);
      Topics t = new Topics("samples-" + run, "specs-" + run, "models-" + run, "dead-" + run);
      kafkaIo.create(t.samples, 3, false);
      kafkaIo.create(t.specs, 1, true);
      kafkaIo.create(t.models, 2, true);
      kafkaIo.create(t.deadLetters, 1, false);
      return t;
    }

    Configuration config(String bootstrap, boolean bounded) {
      Configuration c = new Configuration();
      c.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
      c.set(JobOptions.SAMPLES_TOPIC, samples);
      c.set(JobOptions.SPECS_TOPIC, specs);
      c.set(JobOptions.MODELS_TOPIC, models);
      c.set(JobOptions.DEAD_LETTERS_TOPIC, deadLetters);
      c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "it-" + samples);
      c.set(JobOptions.GROUP_ID, "it-" + samples);
      c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
      c.set(JobOptions.BOUNDED, bounded);
      return c;
    }
  }

  static final Map<String, ModelSpec> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put("lin-fast", ModelSpecs.of("lin-fast", Task.REGRESSION, Loss.SQUARED, 3, 0.2, 0.0, 16, 300));
    SPECS.put("lin-slow", ModelSpecs.of("lin-slow", Task.REGRESSION, Loss.SQUARED, 3, 0.05, 0.001, 25, 300));
    SPECS.put("logit", ModelSpecs.of("logit", Task.BINARY, Loss.LOGISTIC, 3, 0.5, 0.0, 20, 300));
  }

  /** Produces the specs, then per model {@code n} samples interleaved across models, plus junk. */
  static Map<String, Integer> produceInput(Topics t, int n, int junk) {
    List<ProducerRecord<byte[], byte[]>> specs = new ArrayList<>();
    SPECS.forEach((id, spec) -> specs.add(new ProducerRecord<>(t.specs, key(id), Codecs.MODEL_SPEC.encode(spec))));
    kafkaIo.produce(t.specs, specs);
    Random rnd = new Random(42);
    List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (String id : SPECS.keySet()) {
        double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextGaussian()};
        double z = 1.5 * x[0] - 2 * x[1] + 0.5 * x[2] + 0.25;
        double y = id.equals("logit") ? (rnd.nextDouble() < 1 / (1 + Math.exp(-3 * z)) ? 1 : 0) : z + 0.1 * rnd.nextGaussian();
        TrainingSample s =
            TrainingSample.newBuilder()
                .setModelId(id)
                .setFeatures(new DenseFeatures(List.of(x[0], x[1], x[2])))
                .setLabel(y)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
                .build();
        samples.add(new ProducerRecord<>(t.samples, key(id), Codecs.TRAINING_SAMPLE.encode(s)));
      }
      if (i % Math.max(1, n / Math.max(1, junk)) == 0 && junk > 0 && samples.size() / 3 <= n) {
        samples.add(new ProducerRecord<>(t.samples, key("lin-fast"), ("junk " + i).getBytes(StandardCharsets.UTF_8)));
      }
    }
    kafkaIo.produce(t.samples, samples);
    Map<String, Integer> counts = new HashMap<>();
    SPECS.keySet().forEach(id -> counts.put(id, n));
    return counts;
  }

  static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, List<ModelUpdate>> updatesByModel(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    Map<String, List<ModelUpdate>> by = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
      by.computeIfAbsent(u.getModelId(), k -> new ArrayList<>()).add(u);
    }
    return by;
  }

  static boolean allSeen(List<ConsumerRecord<byte[], byte[]>> records, int n) {
    Map<String, Long> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
        seen.merge(u.getModelId(), u.getSamplesSeen(), Math::max);
      } catch (Exception e) {
        return false;
      }
    }
    return seen.size() == SPECS.size() && seen.values().stream().allMatch(v -> v >= n);
  }

  /** Replays each model's samples, in topic order, through the core with the published batch sizes. */
  static void assertReplayMatches(Topics t, Map<String, List<ModelUpdate>> updates) throws Exception {
    Map<String, List<Sample>> samples = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : kafkaIo.readCommitted(t.samples, Duration.ofSeconds(5), l -> false)) {
      try {
        TrainingSample s = Codecs.TRAINING_SAMPLE.decode(r.value());
        samples.computeIfAbsent(s.getModelId(), k -> new ArrayList<>()).add(SampleConversion.fromAvro(s, Sample.Origin.UNKNOWN));
      } catch (DecodeException junk) {
        // the job dead-letters these; the replay skips them too
      }
    }
    for (Map.Entry<String, List<ModelUpdate>> e : updates.entrySet()) {
      LearnerState replay = LearnerState.initial(SPECS.get(e.getKey()));
      List<Sample> stream = samples.get(e.getKey());
      int from = 0;
      for (ModelUpdate u : e.getValue()) {
        MinibatchUpdate.apply(replay, stream.subList(from, from + u.getBatchSize()));
        from += u.getBatchSize();
      }
      ModelUpdate last = e.getValue().get(e.getValue().size() - 1);
      double[] published = ModelUpdates.model(last).weights();
      double[] replayed = replay.model().weights();
      for (int i = 0; i < replayed.length; i++) {
        assertThat(published[i]).as("%s weight %d", e.getKey(), i).isCloseTo(replayed[i], within(1e-9));
      }
      assertThat(ModelUpdates.model(last)).as("bit-identical %s", e.getKey()).isEqualTo(replay.model());
      assertThat(last.getMetrics().getLossSum()).isEqualTo(replay.prequential().lossSum());
    }
  }

  @Test
  void trainsExactlyOnceWithContiguousVersionsAndReplayableParameters() throws Exception {
    Topics t = Topics.create(kafkaIo);
    int n = 3000;
    int junk = 10;
    produceInput(t, n, junk);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    StreamSgdJob.build(env, JobSettings.from(t.config(kafka.bootstrapServers(), false)));
    JobClient job = env.executeAsync("trainer-it");
    List<ConsumerRecord<byte[], byte[]>> records;
    try {
      records = kafkaIo.readCommitted(t.models, Duration.ofSeconds(120), l -> allSeen(l, n));
    } finally {
      job.cancel().get();
    }
    Map<String, List<ModelUpdate>> updates = updatesByModel(records);
    assertThat(updates.keySet()).containsExactlyInAnyOrderElementsOf(SPECS.keySet());
    for (Map.Entry<String, List<ModelUpdate>> e : updates.entrySet()) {
      List<ModelUpdate> versions = e.getValue();
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i).getVersion()).as("%s update %d", e.getKey(), i).isEqualTo(i + 1);
      }
      ModelUpdate last = versions.get(versions.size() - 1);
      assertThat(last.getSamplesSeen()).as("samples seen by %s", e.getKey()).isEqualTo(n);
      assertThat(versions.stream().mapToLong(ModelUpdate::getBatchSize).sum()).isEqualTo(n);
      assertThat(last.getMetrics().getCount()).isEqualTo(n);
    }
    assertReplayMatches(t, updates);

    List<DeadLetter> letters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafkaIo.readCommitted(t.deadLetters, Duration.ofSeconds(10), l -> l.size() >= junk)) {
      letters.add(Codecs.DEAD_LETTER.decode(r.value()));
    }
    assertThat(letters).hasSize(junk).allSatisfy(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.NOT_AVRO));
    assertThat(letters).allSatisfy(d -> assertThat(d.getTopic()).isEqualTo(t.samples));
  }

  @Test
  void boundedRunFlushesEveryOpenBatchAndFinishes() throws Exception {
    Topics t = Topics.create(kafkaIo);
    int n = 1001; // leaves a partial batch for every model
    produceInput(t, n, 0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    Configuration c = t.config(kafka.bootstrapServers(), true);
    StreamSgdJob.build(env, JobSettings.from(c));
    env.execute("trainer-bounded-it"); // returns when the input is consumed
    Map<String, List<ModelUpdate>> updates =
        updatesByModel(kafkaIo.readCommitted(t.models, Duration.ofSeconds(30), l -> allSeen(l, n)));
    for (List<ModelUpdate> versions : updates.values()) {
      ModelUpdate last = versions.get(versions.size() - 1);
      assertThat(last.getSamplesSeen()).isEqualTo(n);
      assertThat(last.getCloseReason()).isEqualTo(BatchCloseReason.END_OF_INPUT);
    }
    assertReplayMatches(t, updates);
  }
}
