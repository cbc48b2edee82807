package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.sink.KafkaSinks;
import io.streamsgd.job.source.KafkaSources;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.testing.FailOnceAfterCheckpoint;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.serving.ServingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once publication: a failure makes the trainer publish again the versions it had sent
 * after its last checkpoint. Those duplicates are whole, identical snapshots, so consumers that
 * keep the highest version per model (the Kafka Streams table, {@link ModelSubscriber}) end with
 * exactly the model an exactly-once run would give.
 */
class AtLeastOnceITCase {
  static final int N = 3000;

  @Test
  void duplicatesAreIdenticalAndConsumersKeepTheHighestVersion(@TempDir Path tmp) throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("a", ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("a", 3, 0.1, 10), 10));
    specs.put("b", ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("b", 3, 0.5, 25), 25));
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"))) {
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      for (String t : List.of("samples", "model-specs", "dead-letters")) {
        io.create(t, t.equals("samples") ? 2 : 1, t.equals("model-specs"));
      }
      io.createModels("models", 1);
      TestInput.produce(io, "samples", "model-specs", specs, N, 0);

      Configuration options = new Configuration();
      options.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      options.set(JobOptions.DELIVERY_GUARANTEE, SinkGuarantee.AT_LEAST_ONCE);
      options.set(JobOptions.BOUNDED, true);
      options.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
      JobSettings s = JobSettings.from(options);
      Configuration flink = new Configuration();
      flink.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, flink);
      StreamSgdJob.configure(env, s);
      DataStream<RawRecord> samples =
          env.fromSource(KafkaSources.samples(s), StreamSgdJob.sampleWatermarks(s), "samples")
              .map(new FailOnceAfterCheckpoint(N / 2));
      TrainerPipeline.Outputs out =
          TrainerPipeline.attach(
              samples,
              env.fromSource(KafkaSources.specs(s), StreamSgdJob.specWatermarks(), "specs")
                  .setParallelism(1),
              s);
      KafkaSinks.models(out.updates(), s);
      out.deadLetters().sinkTo(KafkaSinks.deadLetters(s));
      FailOnceAfterCheckpoint.FAILED.set(false);
      env.execute("at-least-once");
      assertThat(FailOnceAfterCheckpoint.FAILED.get()).as("the failure was injected").isTrue();

      Map<String, List<ModelUpdate>> published =
          ReplayCheck.updatesByModel(
              io.readCommitted(
                  "models",
                  Duration.ofSeconds(30),
                  l -> ReplayCheck.allSeen(l, Map.of("a", (long) N, "b", (long) N))));
      int duplicates = 0;
      for (Map.Entry<String, List<ModelUpdate>> e : published.entrySet()) {
        Map<Long, ModelUpdate> byVersion = new TreeMap<>();
        for (ModelUpdate u : e.getValue()) {
          ModelUpdate first = byVersion.putIfAbsent(u.getVersion(), u);
          if (first != null) {
            duplicates++;
            assertThat(u.getParameters())
                .as("duplicate of %s v%d", e.getKey(), u.getVersion())
                .isEqualTo(first.getParameters());
            assertThat(u.getSamplesSeen()).isEqualTo(first.getSamplesSeen());
          }
        }
        ReplayCheck.assertContiguous(e.getKey(), List.copyOf(byVersion.values()), N);
      }
      System.out.println("duplicate updates published after the failure: " + duplicates);
      ReplayCheck.assertReplayMatches(io.readAllCommitted("samples"), specs, lastCopies(published));

      // Both consumers dedupe by version and end on the last one.
      try (ModelSubscriber subscriber =
              new ModelSubscriber(Map.of("bootstrap.servers", kafka.bootstrapServers()), "models");
          ModelServingApp serving =
              new ModelServingApp(
                      ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams"))
                          .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
                          .withRequestsTopic(
                              null)) // the table alone: no prediction-requests topic here
                  .start(Duration.ofSeconds(60))) {
        assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline
            && !specs.keySet().stream()
                .allMatch(
                    id -> serving.latest(id).map(u -> u.getSamplesSeen() == N).orElse(false))) {
          Thread.sleep(100);
        }
        for (String id : specs.keySet()) {
          long last = N / specs.get(id).getBatch().getSize();
          assertThat(subscriber.latest(id).orElseThrow().getVersion()).isEqualTo(last);
          assertThat(serving.latest(id).orElseThrow().getVersion()).isEqualTo(last);
        }
      }
    }
  }

  /** Each model's versions in order, the last copy of each. */
  private static Map<String, List<ModelUpdate>> lastCopies(
      Map<String, List<ModelUpdate>> published) {
    Map<String, List<ModelUpdate>> out = new LinkedHashMap<>();
    published.forEach(
        (id, updates) -> {
          Map<Long, ModelUpdate> byVersion = new TreeMap<>();
          updates.forEach(u -> byVersion.put(u.getVersion(), u));
          out.put(id, List.copyOf(byVersion.values()));
        });
    return out;
  }
}
