package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.spec.SpecFingerprint;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Specs change while the job runs: a new learning rate applies from the next batch, visibly (the
 * updates name the spec's fingerprint and carry it); a spec of another shape starts a new lineage
 * from zero parameters while versions carry on. No restart.
 */
class SpecChangeITCase {
  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  static final ModelSpec FIRST =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 3, 0.1, 10), 10);
  static final ModelSpec FASTER =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 3, 0.3, 10), 10);
  static final ModelSpec WIDER =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("m", 5, 0.1, 10), 10);

  /** The test's topics, which the helpers write and read. */
  Topics topics;

  void publish(TopicIO io, ModelSpec spec) throws InterruptedException {
    io.produce(
        topics.specs(),
        List.of(
            new ProducerRecord<>(
                topics.specs(),
                "m".getBytes(StandardCharsets.UTF_8),
                Codecs.MODEL_SPEC.encode(spec))));
    Thread.sleep(3000); // the spec source reads it well before the next samples are produced
  }

  List<ModelUpdate> awaitSeen(TopicIO io, long samples) throws Exception {
    return ReplayCheck.updatesWithSpecs(
            io,
            topics.models(),
            io.readCommitted(
                topics.models(),
                Duration.ofSeconds(60),
                l -> ReplayCheck.allSeen(l, Map.of("m", samples))))
        .get("m");
  }

  @Test
  void specsApplyFromTheNextBatchWithoutRestart() throws Exception {
    TopicIO io = KAFKA_FLINK.io();
    topics = KAFKA_FLINK.topics(1, 1);
    Configuration c = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    StreamSgdJob.build(env, JobSettings.from(c));
    JobClient job = env.executeAsync("spec changes");
    try {
      List<ProducerRecord<byte[], byte[]>> samples =
          TestInput.samples(topics.samples(), Map.of("m", FIRST), 400, 0);
      publish(io, FIRST);
      io.produce(topics.samples(), samples.subList(0, 200));
      assertThat(awaitSeen(io, 200)).last().extracting(ModelUpdate::getVersion).isEqualTo(20L);

      publish(io, FASTER);
      io.produce(topics.samples(), samples.subList(200, 400));
      List<ModelUpdate> updates = awaitSeen(io, 400);
      // version 21 is the first trained under the new spec, and says so
      assertThat(updates.get(19).getSpecFingerprint()).isEqualTo(SpecFingerprint.of(FIRST));
      assertThat(updates.get(20).getSpecFingerprint()).isEqualTo(SpecFingerprint.of(FASTER));
      assertThat(updates.get(20).getSpec().getOptimizer().getLearningRate()).isEqualTo(0.3);
      assertThat(updates.get(20).getLineage()).isEqualTo(1);
      // Each spec is published once, before the first version that names it, not with every one.
      assertThat(
              io.readAllCommitted(TopicNames.publishedSpecs(topics.models())).stream()
                  .map(r -> decodeSpec(r.value()))
                  .map(p -> p.getFromVersion() + ":" + p.getSpecFingerprint())
                  .toList())
          .containsExactly("1:" + SpecFingerprint.of(FIRST), "21:" + SpecFingerprint.of(FASTER));

      publish(io, WIDER);
      List<ProducerRecord<byte[], byte[]>> wide = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        TrainingSample s =
            TrainingSample.newBuilder()
                .setModelId("m")
                .setFeatures(new DenseFeatures(List.of(1.0, 0.5, 0.0, i / 100.0, 2.0)))
                .setLabel(i % 3)
                .setEventTime(Instant.ofEpochMilli(i))
                .build();
        wide.add(
            new ProducerRecord<>(
                topics.samples(),
                "m".getBytes(StandardCharsets.UTF_8),
                Codecs.TRAINING_SAMPLE.encode(s)));
      }
      io.produce(topics.samples(), wide);
      updates = awaitSeen(io, 500);
      ModelUpdate first = updates.get(40);
      assertThat(first.getVersion()).isEqualTo(41);
      assertThat(first.getLineage()).isEqualTo(2);
      assertThat(first.getLineageStartVersion()).isEqualTo(41);
      assertThat(first.getParameters().getDimension()).isEqualTo(5);
      assertThat(first.getMetrics().getCount()).isEqualTo(10); // metrics restart with the lineage
      assertThat(updates)
          .extracting(ModelUpdate::getVersion)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
      assertThat(updates.get(49).getSamplesSeen()).isEqualTo(500);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  private static PublishedSpec decodeSpec(byte[] value) {
    try {
      return Codecs.PUBLISHED_SPEC.decode(value);
    } catch (DecodeException e) {
      throw new AssertionError(e);
    }
  }
}
