package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.stack.EmbeddedStack;
import io.streamsgd.stack.TrainerFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that repeats ends the embedded trainer after its few restarts, and the command's check
 * reports the root cause, instead of a job restarting forever under a command that waits.
 */
class TrainerFailsFastITCase {

  @Test
  void aSinkTheBrokerRefusesFailsTheTrainerWithItsRootCauseWithinSeconds(@TempDir Path tmp)
      throws Exception {
    try (EmbeddedStack stack =
        EmbeddedStack.start(tmp.resolve("stack"), 1, TopicLayout.defaults(1))) {
      ModelSpec spec = ModelSpecs.linearRegression("wide", 512, 0.01, 8);
      TopicIO io = new TopicIO(stack.bootstrapServers());
      io.produce(
          stack.topics().specs(),
          List.of(record(stack.topics().specs(), "wide", Codecs.MODEL_SPEC.encode(spec))));
      Random rnd = new Random(1);
      io.produce(stack.topics().samples(), samples(stack.topics().samples(), rnd, 0, 64));
      var job = stack.jobOptions();
      // Above the broker's transaction.max.timeout.ms (15 min): every start of the sink's
      // transactional producer is refused, as on a cluster whose broker limits differ.
      job.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(20));
      job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
      long start = System.nanoTime();
      stack.startTrainer(job);

      assertThatThrownBy(
              () -> {
                // Samples keep coming, as on a live topic: every attempt has updates to publish.
                long deadline = start + Duration.ofMinutes(2).toNanos();
                for (int batch = 1; System.nanoTime() < deadline; batch++) {
                  stack.checkTrainer();
                  io.produce(
                      stack.topics().samples(),
                      samples(stack.topics().samples(), rnd, 64 * batch, 8));
                  Thread.sleep(200);
                }
              })
          .isInstanceOf(TrainerFailedException.class)
          .hasMessageStartingWith("the trainer job failed: KafkaException: Unexpected error in")
          .hasMessageContaining("The transaction timeout is larger than the maximum value allowed");
      // Three restarts after 1, 2 and 4 s of backoff, not a wait on a restart loop.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }
  }

  /** {@code n} samples of model "wide" with 512 features, event times from {@code first}. */
  private static List<ProducerRecord<byte[], byte[]>> samples(
      String topic, Random rnd, int first, int n) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Double> x = new ArrayList<>();
      for (int j = 0; j < 512; j++) {
        x.add(rnd.nextDouble());
      }
      TrainingSample s =
          TrainingSample.newBuilder()
              .setModelId("wide")
              .setFeatures(new DenseFeatures(x))
              .setLabel(rnd.nextDouble())
              .setEventTime(Instant.ofEpochMilli(1_000L + first + i))
              .build();
      out.add(record(topic, "wide", Codecs.TRAINING_SAMPLE.encode(s)));
    }
    return out;
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }
}
