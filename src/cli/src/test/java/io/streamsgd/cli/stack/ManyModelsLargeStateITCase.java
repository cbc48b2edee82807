package io.streamsgd.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.cluster.FlinkRestClient;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.stack.EmbeddedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack checkpoints to files: hundreds of models with open batches hold far more state
 * than the 5 MB a JobManager keeps in memory for a checkpoint, and the trainer goes on.
 */
class ManyModelsLargeStateITCase {
  static final int MODELS = 240;
  static final int BATCH = 1000;
  static final int OPEN = 900; // samples per model produced before the batches can close

  @Test
  void twoHundredFortyModelsWithOpenBatchesAboveFiveMegabytesCheckpointAndTrainOn(@TempDir Path tmp)
      throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    for (int m = 0; m < MODELS; m++) {
      String id = String.format("m%03d", m);
      specs.put(
          id, ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression(id, 3, 0.5, BATCH), BATCH));
    }
    try (EmbeddedStack stack =
        EmbeddedStack.start(tmp.resolve("stack"), 2, TopicLayout.defaults(2))) {
      TopicIO io = new TopicIO(stack.bootstrapServers());
      TopicLayout topics = stack.topics();
      List<ProducerRecord<byte[], byte[]>> samples =
          TestInput.samples(topics.samples(), specs, BATCH, 0);
      // The first 900 samples of every model: each model's batch is open and holds them all.
      TestInput.produce(io, topics.samples(), topics.specs(), specs, 0, 0);
      io.produce(topics.samples(), samples.subList(0, OPEN * MODELS));

      Configuration job = stack.jobOptions();
      job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
      JobClient trainer = stack.startTrainer(job);
      String jobId = trainer.getJobID().toHexString();
      FlinkRestClient rest = new FlinkRestClient(stack.restUrl());

      long largest = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (largest <= 5L << 20 && System.nanoTime() < deadline) {
        stack.checkTrainer();
        Thread.sleep(250);
        largest =
            Math.max(
                largest,
                rest.checkpoints(jobId)
                    .path("latest")
                    .path("completed")
                    .path("state_size")
                    .asLong());
      }
      assertThat(largest).as("state of the largest checkpoint").isGreaterThan(5L << 20);

      // The rest closes every batch: one version per model, from exactly its 1,000 samples.
      io.produce(topics.samples(), samples.subList(OPEN * MODELS, samples.size()));
      try (ModelSubscriber models =
          new ModelSubscriber(
              Map.of("bootstrap.servers", stack.bootstrapServers()), topics.models())) {
        deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (models.all().size() < MODELS && System.nanoTime() < deadline) {
          stack.checkTrainer();
          Thread.sleep(200);
        }
        Map<String, ModelUpdate> all = models.all();
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(specs.keySet());
        for (ModelUpdate u : all.values()) {
          assertThat(u.getVersion()).as(u.getModelId()).isEqualTo(1);
          assertThat(u.getSamplesSeen()).as(u.getModelId()).isEqualTo(BATCH);
        }
      }
      assertThat(rest.failures(jobId)).as("restarts of the trainer").isZero();
    }
  }
}
