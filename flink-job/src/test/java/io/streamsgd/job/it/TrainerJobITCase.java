package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.codec.Codecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer job end to end on a real Kafka broker and a real Flink MiniCluster (parallelism 2):
 * exactly-once model versions, exact sample counts, and parameters equal to a plain single-threaded
 * replay of the same batches.
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
    SPECS.put(
        "lin-fast", ModelSpecs.of("lin-fast", Task.REGRESSION, Loss.SQUARED, 3, 0.2, 0.0, 16, 300));
    SPECS.put(
        "lin-slow",
        ModelSpecs.of("lin-slow", Task.REGRESSION, Loss.SQUARED, 3, 0.05, 0.001, 25, 300));
    SPECS.put("logit", ModelSpecs.of("logit", Task.BINARY, Loss.LOGISTIC, 3, 0.5, 0.0, 20, 300));
  }

  @Test
  void trainsExactlyOnceWithContiguousVersionsAndReplayableParameters() throws Exception {
    Topics t = Topics.create(kafkaIo);
    int n = 3000;
    int junk = 10;
    TestInput.produce(kafkaIo, t.samples, t.specs, SPECS, n, junk);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    StreamSgdJob.build(env, JobSettings.from(t.config(kafka.bootstrapServers(), false)));
    JobClient job = env.executeAsync("trainer-it");
    List<ConsumerRecord<byte[], byte[]>> records;
    try {
      records =
          kafkaIo.readCommitted(
              t.models, Duration.ofSeconds(120), l -> ReplayCheck.allSeen(l, expected(n)));
    } finally {
      job.cancel().get();
    }
    Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
    assertThat(updates.keySet()).containsExactlyInAnyOrderElementsOf(SPECS.keySet());
    updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, n));
    ReplayCheck.assertReplayMatches(
        kafkaIo.readCommitted(t.samples, Duration.ofSeconds(5), l -> false), SPECS, updates);

    List<DeadLetter> letters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        kafkaIo.readCommitted(t.deadLetters, Duration.ofSeconds(10), l -> l.size() >= junk)) {
      letters.add(Codecs.DEAD_LETTER.decode(r.value()));
    }
    assertThat(letters)
        .hasSize(junk)
        .allSatisfy(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.NOT_AVRO));
    assertThat(letters).allSatisfy(d -> assertThat(d.getTopic()).isEqualTo(t.samples));
  }

  @Test
  void boundedRunFlushesEveryOpenBatchAndFinishes() throws Exception {
    Topics t = Topics.create(kafkaIo);
    int n = 1001; // leaves a partial batch for every model
    TestInput.produce(kafkaIo, t.samples, t.specs, SPECS, n, 0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    Configuration c = t.config(kafka.bootstrapServers(), true);
    StreamSgdJob.build(env, JobSettings.from(c));
    env.execute("trainer-bounded-it"); // returns when the input is consumed
    Map<String, List<ModelUpdate>> updates =
        ReplayCheck.updatesByModel(
            kafkaIo.readCommitted(
                t.models, Duration.ofSeconds(30), l -> ReplayCheck.allSeen(l, expected(n))));
    for (List<ModelUpdate> versions : updates.values()) {
      ModelUpdate last = versions.get(versions.size() - 1);
      assertThat(last.getSamplesSeen()).isEqualTo(n);
      assertThat(last.getCloseReason()).isEqualTo(BatchCloseReason.END_OF_INPUT);
    }
    ReplayCheck.assertReplayMatches(
        kafkaIo.readCommitted(t.samples, Duration.ofSeconds(5), l -> false), SPECS, updates);
  }

  static Map<String, Long> expected(long n) {
    Map<String, Long> m = new HashMap<>();
    SPECS.keySet().forEach(id -> m.put(id, n));
    return m;
  }
}
