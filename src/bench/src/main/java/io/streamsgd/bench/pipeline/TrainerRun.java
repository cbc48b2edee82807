package io.streamsgd.bench.pipeline;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One run of the real trainer job on the bench cluster: its own output topics, every model under
 * one default spec (no spec records to publish), from the earliest offset of the input topic.
 */
final class TrainerRun {
  /** The job's default {@code streamsgd.sink.max-record-bytes}. */
  static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  /** What the sink's producer allows above the record limit (its max.request.size margin). */
  static final int RECORD_ENVELOPE_BYTES = 65_536;

  final String name;
  final String models;
  final String deadLetters;
  final String specs;
  final List<String> args = new ArrayList<>();

  /** The largest update the job may publish, and the models topic's record limit to match. */
  final int maxRecordBytes;

  TrainerRun(
      String name,
      List<String> kafkaArgs,
      String samplesTopic,
      ModelSpec spec,
      SinkGuarantee guarantee,
      StateBackendKind backend,
      Duration checkpointInterval) {
    this.name = name;
    this.models = "bench-models-" + name;
    this.deadLetters = "bench-dead-" + name;
    this.specs = "bench-specs-" + name;
    String json = ModelSpecJson.toJson(spec);
    // The job's default limit: a model larger than one record is published in chunks.
    maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    args.addAll(kafkaArgs);
    args.addAll(
        List.of(
            "--streamsgd.topic.samples",
            samplesTopic,
            "--streamsgd.topic.models",
            models,
            "--streamsgd.topic.dead-letters",
            deadLetters,
            "--streamsgd.topic.specs",
            specs,
            "--streamsgd.source.group-id",
            "bench-" + name,
            "--streamsgd.sink.transactional-id-prefix",
            "bench-" + name,
            "--streamsgd.sink.delivery-guarantee",
            guarantee.name(),
            "--streamsgd.state.backend",
            backend.name(),
            "--streamsgd.checkpoint.interval",
            checkpointInterval.toMillis() + " ms",
            "--streamsgd.spec.missing",
            "DEFAULT",
            "--streamsgd.spec.default",
            json,
            "--streamsgd.job.name",
            "bench-" + name,
            "--streamsgd.sink.max-record-bytes",
            String.valueOf(maxRecordBytes)));
  }

  /** Sets the job's network buffer timeout (latency runs). */
  TrainerRun bufferTimeout(Duration timeout) {
    args.addAll(List.of("--streamsgd.network.buffer-timeout", timeout.toMillis() + " ms"));
    return this;
  }

  /** Says what the samples' record keys are (the job's default: their model ids). */
  TrainerRun recordKey(io.streamsgd.job.config.RecordKey recordKey) {
    args.addAll(List.of("--streamsgd.source.record-key", recordKey.name()));
    return this;
  }

  /** Sets the compression of the job's updates (latency runs). */
  TrainerRun compression(io.streamsgd.job.config.SinkCompression compression) {
    args.addAll(List.of("--streamsgd.sink.compression", compression.name()));
    return this;
  }

  /** Makes the run's output topics, fresh. */
  void createTopics(Map<String, Object> client, int partitions) throws Exception {
    try (Admin admin = Admin.create(client)) {
      var existing = admin.listTopics().names().get();
      List<String> old =
          List.of(models, TopicNames.publishedSpecs(models), deadLetters, specs).stream()
              .filter(existing::contains)
              .toList();
      if (!old.isEmpty()) {
        admin.deleteTopics(old).all().get();
        Thread.sleep(1000);
      }
      admin
          .createTopics(
              List.of(
                  TopicLoader.topic(models, partitions)
                      .configs(
                          Map.of(
                              "max.message.bytes",
                              String.valueOf(maxRecordBytes + RECORD_ENVELOPE_BYTES))),
                  TopicLoader.topic(TopicNames.publishedSpecs(models), partitions)
                      .configs(Map.of("cleanup.policy", "compact")),
                  TopicLoader.topic(deadLetters, 1),
                  TopicLoader.topic(specs, 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    }
  }

  /** Starts the job; returns its id once it runs. */
  String submit(BenchCluster cluster) throws Exception {
    String jobId = cluster.rest.runJar(cluster.jarId, args, null, cluster.slots);
    String state =
        cluster.rest.awaitState(
            jobId,
            java.util.Set.of("RUNNING", "FAILED", "CANCELED", "FINISHED"),
            Duration.ofMinutes(2));
    if (!"RUNNING".equals(state)) {
      throw new IllegalStateException("bench job " + name + " is " + state);
    }
    return jobId;
  }
}
