package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.Predictor;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.stack.EmbeddedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product end to end on the embedded stack: real KRaft broker, trainer on a Flink MiniCluster
 * with two subtasks, Kafka Streams serving app. Checks exact counts, contiguous exactly-once
 * versions, parameters equal to a single-threaded replay, and that the serving table answers with
 * the last version.
 */
class PipelineITCase {
  static final int N = 4000;
  static final int JUNK = 12;

  @Test
  void samplesToModelsToServingEndToEnd(@TempDir Path tmp) throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put("lin-a", ModelSpecs.of("lin-a", Task.REGRESSION, Loss.SQUARED, 3, 0.2, 0.0, 32, 200));
    specs.put(
        "lin-b", ModelSpecs.of("lin-b", Task.REGRESSION, Loss.SQUARED, 3, 0.05, 0.0, 50, 200));
    specs.put("logit", ModelSpecs.of("logit", Task.BINARY, Loss.LOGISTIC, 3, 0.5, 0.0, 40, 200));
    Map<String, Long> expected = new LinkedHashMap<>();
    specs.keySet().forEach(id -> expected.put(id, (long) N));

    try (EmbeddedStack stack =
        EmbeddedStack.start(tmp.resolve("stack"), 2, TopicLayout.defaults(4))) {
      TopicIO io = new TopicIO(stack.bootstrapServers());
      TopicLayout topics = stack.topics();
      TestInput.produce(io, topics.samples(), topics.specs(), specs, N, JUNK);

      Configuration job = stack.jobOptions();
      job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
      stack.startTrainer(job);
      ModelServingApp serving = stack.startServing();

      List<ConsumerRecord<byte[], byte[]>> records =
          io.readCommitted(
              topics.models(), Duration.ofSeconds(180), l -> ReplayCheck.allSeen(l, expected));
      Map<String, List<ModelUpdate>> updates =
          ReplayCheck.updatesWithSpecs(io, topics.models(), records);
      assertThat(updates.keySet()).containsExactlyInAnyOrderElementsOf(specs.keySet());
      updates.forEach((model, versions) -> ReplayCheck.assertContiguous(model, versions, N));
      ReplayCheck.assertReplayMatches(io.readAllCommitted(topics.samples()), specs, updates);

      // The serving table holds each model's last version, and scores with exactly its parameters.
      FeatureVector x = FeatureVector.dense(new double[] {0.3, 0.6, -1.0});
      for (Map.Entry<String, List<ModelUpdate>> e : updates.entrySet()) {
        ModelUpdate last = e.getValue().get(e.getValue().size() - 1);
        ModelUpdate served = awaitVersion(serving, e.getKey(), last.getVersion());
        assertThat(served).isEqualTo(last);
        var prediction = serving.predict(e.getKey(), x).orElseThrow();
        assertThat(prediction.version()).isEqualTo(last.getVersion());
        assertThat(prediction.prediction())
            .isEqualTo(new Predictor(last.getSpec(), ModelUpdates.model(last)).predict(x));
      }
      assertThat(serving.latest("no-such-model")).isEmpty();

      // The junk did not stop the job: every record is a dead letter with its reason.
      List<DeadLetter> letters = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r :
          io.readCommitted(topics.deadLetters(), Duration.ofSeconds(20), l -> l.size() >= JUNK)) {
        letters.add(Codecs.DEAD_LETTER.decode(r.value()));
      }
      assertThat(letters)
          .hasSize(JUNK)
          .allSatisfy(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.NOT_AVRO));
    }
  }

  private static ModelUpdate awaitVersion(ModelServingApp serving, String id, long version)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ModelUpdate held = null;
    while (System.nanoTime() < deadline) {
      held = serving.latest(id).orElse(null);
      if (held != null && held.getVersion() >= version) {
        return held;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "serving app holds "
            + (held == null ? "nothing" : "version " + held.getVersion())
            + " of "
            + id);
  }
}
