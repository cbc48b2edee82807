package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.codec.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trainer job end to end on a real Kafka broker and a real Flink MiniCluster (parallelism 2):
 * exactly-once model versions, exact sample counts, and parameters equal to a plain single-threaded
 * replay of the same batches.
 */
class TrainerJobITCase {
  private static final int PARALLELISM = SharedKafkaFlink.SLOTS;

  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  static Configuration config(Topics t, boolean bounded) {
    Configuration c = t.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    c.set(JobOptions.BOUNDED, bounded);
    return c;
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
    TopicIO kafkaIo = KAFKA_FLINK.io();
    Topics t = KAFKA_FLINK.topics(3, 2);
    int n = 3000;
    int junk = 10;
    TestInput.produce(kafkaIo, t.samples(), t.specs(), SPECS, n, junk);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    StreamSgdJob.build(env, JobSettings.from(config(t, false)));
    JobClient job = env.executeAsync("trainer-it");
    List<ConsumerRecord<byte[], byte[]>> records;
    try {
      records =
          kafkaIo.readCommitted(
              t.models(), Duration.ofSeconds(120), l -> ReplayCheck.allSeen(l, expected(n)));
    } finally {
      job.cancel().get();
    }
    Map<String, List<ModelUpdate>> updates = ReplayCheck.updatesByModel(records);
    assertThat(updates.keySet()).containsExactlyInAnyOrderElementsOf(SPECS.keySet());
    updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, n));
    ReplayCheck.assertReplayMatches(kafkaIo.readAllCommitted(t.samples()), SPECS, updates);

    List<DeadLetter> letters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        kafkaIo.readCommitted(t.deadLetters(), Duration.ofSeconds(10), l -> l.size() >= junk)) {
      letters.add(Codecs.DEAD_LETTER.decode(r.value()));
    }
    assertThat(letters)
        .hasSize(junk)
        .allSatisfy(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.NOT_AVRO));
    assertThat(letters).allSatisfy(d -> assertThat(d.getTopic()).isEqualTo(t.samples()));
  }

  @Test
  void boundedRunFlushesEveryOpenBatchAndFinishes() throws Exception {
    TopicIO kafkaIo = KAFKA_FLINK.io();
    Topics t = KAFKA_FLINK.topics(3, 2);
    int n = 1001; // leaves a partial batch for every model
    TestInput.produce(kafkaIo, t.samples(), t.specs(), SPECS, n, 0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    Configuration c = config(t, true);
    StreamSgdJob.build(env, JobSettings.from(c));
    env.execute("trainer-bounded-it"); // returns when the input is consumed
    Map<String, List<ModelUpdate>> updates =
        ReplayCheck.updatesByModel(
            kafkaIo.readCommitted(
                t.models(), Duration.ofSeconds(30), l -> ReplayCheck.allSeen(l, expected(n))));
    for (List<ModelUpdate> versions : updates.values()) {
      ModelUpdate last = versions.get(versions.size() - 1);
      assertThat(last.getSamplesSeen()).isEqualTo(n);
      assertThat(last.getCloseReason()).isEqualTo(BatchCloseReason.END_OF_INPUT);
    }
    ReplayCheck.assertReplayMatches(kafkaIo.readAllCommitted(t.samples()), SPECS, updates);
  }

  static Map<String, Long> expected(long n) {
    Map<String, Long> m = new HashMap<>();
    SPECS.keySet().forEach(id -> m.put(id, n));
    return m;
  }
}
