package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.job.warmstart.WarmStartSavepoint;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm start: a first job trains and publishes; a savepoint is written from the models topic alone;
 * a new job started from it carries each model on from its last published version.
 */
class WarmStartITCase {
  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  static final ModelSpec SPEC =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 3, 0.1, 10), 10);

  static Configuration options(Topics topics, String samples, String group) {
    Configuration c = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.set(JobOptions.SAMPLES_TOPIC, samples);
    c.set(JobOptions.GROUP_ID, topics.name(group));
    c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, topics.name(group));
    c.set(JobOptions.BOUNDED, true);
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
    return c;
  }

  @Test
  void aNewJobCarriesOnFromTheLastPublishedVersion(@TempDir Path tmp) throws Exception {
    TopicIO io = KAFKA_FLINK.io();
    Topics topics = KAFKA_FLINK.topics(1, 1);
    String firstSamples = topics.samples();
    String secondSamples = topics.name("second");
    io.create(secondSamples, 1, false);
    TestInput.produce(io, firstSamples, topics.specs(), Map.of("m", SPEC), 300, 0);

    StreamExecutionEnvironment first = StreamExecutionEnvironment.getExecutionEnvironment();
    StreamSgdJob.build(first, JobSettings.from(options(topics, firstSamples, "first")));
    first.execute("first");
    List<ModelUpdate> before =
        ReplayCheck.updatesWithSpecs(
                io,
                topics.models(),
                io.readCommitted(topics.models(), Duration.ofSeconds(30), l -> l.size() >= 30))
            .get("m");
    ModelUpdate last = before.get(before.size() - 1);
    assertThat(last.getVersion()).isEqualTo(30);

    String savepoint = tmp.resolve("warm-start").toUri().toString();
    StreamExecutionEnvironment warm = StreamExecutionEnvironment.getExecutionEnvironment();
    WarmStartSavepoint.write(
        warm, JobSettings.from(options(topics, firstSamples, "warm")), savepoint);
    warm.execute("warm start");

    // new samples for the same model, on another topic; the new job starts from the savepoint
    io.produce(
        secondSamples, TestInput.samples(secondSamples, Map.of("m", SPEC), 100, 0).subList(0, 100));
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = StreamExecutionEnvironment.getExecutionEnvironment();
    second.configure(restore);
    StreamSgdJob.build(second, JobSettings.from(options(topics, secondSamples, "second")));
    second.execute("second");

    List<ModelUpdate> all =
        ReplayCheck.updatesByModel(
                io.readCommitted(topics.models(), Duration.ofSeconds(30), l -> l.size() >= 40))
            .get("m");
    List<ModelUpdate> after = all.subList(30, all.size());
    assertThat(after)
        .extracting(ModelUpdate::getVersion)
        .containsExactly(31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L, 40L);
    assertThat(after.get(9).getSamplesSeen()).isEqualTo(400);
    // parameters continue from the published ones (SGD keeps no accumulators to lose)
    LearnerState replay = LearnerState.fromUpdate(last);
    List<Sample> next = ReplayCheck.samplesByModel(io.readAllCommitted(secondSamples)).get("m");
    for (int i = 0; i < 100; i += 10) {
      MinibatchUpdate.apply(replay, next.subList(i, i + 10));
    }
    assertThat(ModelUpdates.model(after.get(9))).isEqualTo(replay.model());
  }
}
