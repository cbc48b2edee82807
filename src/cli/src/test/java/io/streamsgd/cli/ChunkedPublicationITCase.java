package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.publish.ChunkKeys;
import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.sink.KafkaSinks;
import io.streamsgd.job.source.KafkaSources;
import io.streamsgd.job.state.PublishedRecordSerializer;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.serving.ServingSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model of 2^16 hashed features trained with a record limit of 20,000 bytes: its versions go out
 * in chunks. Every version a read_committed reader assembles equals the trainer's own version bit
 * for bit; the serving app and {@link ModelSubscriber}, following the topic while it is written,
 * only ever hold whole versions the trainer made; when the model shrinks (a spec of 4 hash bits
 * restarts it small), its chunk keys are deleted by tombstones and the log cleaner leaves only the
 * latest version of each model.
 */
class ChunkedPublicationITCase {
  static final int LIMIT = 20_000;
  static final int BATCH = 50;

  /** The trainer's whole versions, single-object encoded, by "model/version". */
  static final Map<String, byte[]> TRAINER = new ConcurrentHashMap<>();

  /** Named-feature samples of model {@code id}: 30 of 20,000 names each, a logistic label. */
  static List<ProducerRecord<byte[], byte[]>> samples(String id, int from, int n) {
    Random random = new Random(from);
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      List<String> names = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      double z = 0;
      for (int f = 0; f < 30; f++) {
        int name = random.nextInt(20_000);
        names.add("f" + name);
        values.add(1.0);
        z += name % 3 - 1;
      }
      long time = 1_767_225_600_000L + i * 10L;
      TrainingSample s =
          TrainingSample.newBuilder()
              .setModelId(id)
              .setFeatures(new NamedFeatures(names, values))
              .setLabel(random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0)
              .setEventTime(Instant.ofEpochMilli(time))
              .build();
      out.add(
          new ProducerRecord<>(
              "samples",
              null,
              time,
              id.getBytes(StandardCharsets.UTF_8),
              Codecs.TRAINING_SAMPLE.encode(s)));
    }
    return out;
  }

  static ModelSpec hashed(int bits) {
    ModelSpec spec =
        ModelSpecs.withFixedBatches(
            ModelSpecs.logisticRegression("big", 1 << bits, 0.5, BATCH), BATCH);
    spec.setHashBits(bits);
    return spec;
  }

  static void produceSpec(TopicIO io, ModelSpec spec) {
    io.produce(
        "model-specs",
        List.of(
            new ProducerRecord<>(
                "model-specs",
                spec.getModelId().getBytes(StandardCharsets.UTF_8),
                Codecs.MODEL_SPEC.encode(spec))));
  }

  /** {@code seen} is the trainer's version of the same number, bit for bit. */
  static void assertIsTheTrainers(ModelUpdate seen, String who) throws Exception {
    byte[] bytes = TRAINER.get(seen.getModelId() + "/" + seen.getVersion());
    assertThat(bytes)
        .as("%s: the trainer made %s v%d", who, seen.getModelId(), seen.getVersion())
        .isNotNull();
    ModelUpdate trainer = Codecs.MODEL_UPDATE.decode(bytes);
    assertThat(seen.getChunk()).as(who).isNull();
    assertThat(ReplayCheck.denseWeights(seen.getParameters()))
        .as("%s: weights of %s v%d", who, seen.getModelId(), seen.getVersion())
        .isEqualTo(ReplayCheck.denseWeights(trainer.getParameters()));
    assertThat(seen.getParameters().getIntercepts())
        .isEqualTo(trainer.getParameters().getIntercepts());
    assertThat(seen.getSamplesSeen()).isEqualTo(trainer.getSamplesSeen());
    assertThat(seen.getPublishedAt()).isEqualTo(trainer.getPublishedAt());
    assertThat(seen.getLineage()).isEqualTo(trainer.getLineage());
  }

  static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void chunkedVersionsArriveWholeAndCompactionLeavesOnlyTheLatest(@TempDir Path tmp)
      throws Exception {
    TRAINER.clear();
    try (EmbeddedKafkaBroker kafka =
        EmbeddedKafkaBroker.start(tmp.resolve("kafka"), Map.of("log.cleaner.backoff.ms", "200"))) {
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      io.create("samples", 2, false);
      io.create("model-specs", 1, true);
      io.create("dead-letters", 1, false);
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        // Records above the limit would be refused: none is sent.
        NewTopic models = new NewTopic("models", 1, (short) 1);
        models.configs(
            Map.of("cleanup.policy", "compact", "max.message.bytes", String.valueOf(LIMIT + 100)));
        admin.createTopics(List.of(models)).all().get();
        io.create(TopicNames.publishedSpecs("models"), 1, true);
      }
      produceSpec(io, hashed(16));
      ModelSpec small =
          ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("small", 1 << 4, 0.5, 10), 10);
      small.setHashBits(4);
      produceSpec(io, small);
      io.produce("samples", samples("big", 0, 20 * BATCH));
      io.produce("samples", samples("small", 0, 100));

      Configuration options = new Configuration();
      options.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      options.set(JobOptions.SINK_MAX_RECORD_BYTES, LIMIT);
      options.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
      JobSettings s = JobSettings.from(options);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
      StreamSgdJob.configure(env, s);
      TrainerPipeline.Outputs out =
          TrainerPipeline.attach(
              env.fromSource(KafkaSources.samples(s), StreamSgdJob.sampleWatermarks(s), "samples"),
              env.fromSource(KafkaSources.specs(s), StreamSgdJob.specWatermarks(), "specs")
                  .setParallelism(1),
              s);
      // The trainer's own versions, before any chunking, for comparison (a chained step that
      // keeps the stream's partitioning).
      KafkaSinks.models(
          out.updates()
              .map(
                  u -> {
                    TRAINER.put(
                        u.getModelId() + "/" + u.getVersion(), Codecs.MODEL_UPDATE.encode(u));
                    return u;
                  },
                  PublishedRecordSerializer.typeInfo(ModelUpdate.class)),
          s);
      out.deadLetters().sinkTo(KafkaSinks.deadLetters(s));

      List<ModelUpdate> servedSeen = new ArrayList<>();
      List<ModelUpdate> subscriberSeen = new ArrayList<>();
      JobClient job = null;
      try (ModelSubscriber subscriber =
              new ModelSubscriber(Map.of("bootstrap.servers", kafka.bootstrapServers()), "models");
          ModelServingApp serving =
              new ModelServingApp(
                      ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams"))
                          .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
                          .withRequestsTopic(null))
                  .start(Duration.ofSeconds(60))) {
        job = env.executeAsync("chunked publication");
        // Watch both readers while the chunks stream in: whatever they hold is a whole version.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
          Optional<ModelUpdate> sub = subscriber.latest("big");
          Optional<ModelUpdate> srv = serving.latest("big");
          sub.filter(u -> last(subscriberSeen) != u.getVersion()).ifPresent(subscriberSeen::add);
          srv.filter(u -> last(servedSeen) != u.getVersion()).ifPresent(servedSeen::add);
          if (sub.map(ModelUpdate::getVersion).orElse(0L) == 20
              && srv.map(ModelUpdate::getVersion).orElse(0L) == 20) {
            break;
          }
          Thread.sleep(5);
        }
        assertThat(last(subscriberSeen)).isEqualTo(20);
        assertThat(last(servedSeen)).isEqualTo(20);
        for (ModelUpdate u : subscriberSeen) {
          assertIsTheTrainers(u, "subscriber");
        }
        for (ModelUpdate u : servedSeen) {
          assertIsTheTrainers(u, "serving app");
        }
        // Both readers score with the chunked version put together: the trainer's own scores.
        LinearModel v20 = ModelUpdates.model(Codecs.MODEL_UPDATE.decode(TRAINER.get("big/20")));
        int trainedNames = 0;
        for (String name : List.of("f0", "f1", "f17", "f19999")) {
          FeatureVector x = FeatureVector.named(new String[] {name}, new double[] {1.0});
          double expected = v20.score(x.fold(hashed(16).getHashBits()), 0);
          trainedNames += expected != v20.intercepts()[0] ? 1 : 0;
          assertThat(subscriber.model("big").orElseThrow().predict(x).score())
              .as("subscriber's score of %s", name)
              .isEqualTo(expected);
          assertThat(serving.predict("big", x).orElseThrow().prediction().score())
              .as("serving app's score of %s", name)
              .isEqualTo(expected);
        }
        assertThat(trainedNames).as("names with a trained weight").isGreaterThan(1);

        // The model shrinks: 4 hash bits make a new lineage of 16 weights, one record.
        produceSpec(io, hashed(4));
        Thread.sleep(3_000); // the spec reaches the trainer before the samples it applies to
        io.produce("samples", samples("big", 20 * BATCH, 2 * BATCH));
        await(
            "the small lineage at the subscriber",
            Duration.ofSeconds(60),
            () -> subscriber.latest("big").map(u -> u.getVersion() == 22).orElse(false));
        assertThat(subscriber.latest("big").orElseThrow().getLineage())
            .as("the 4-bit spec reached the trainer within its two batches")
            .isEqualTo(2);
        assertIsTheTrainers(subscriber.latest("big").orElseThrow(), "subscriber");
        await(
            "the small lineage at the serving app",
            Duration.ofSeconds(60),
            () -> serving.latest("big").map(u -> u.getVersion() == 22).orElse(false));
        assertIsTheTrainers(serving.latest("big").orElseThrow(), "serving app");
      }

      // Everything committed, read as any reader does: records within the limit, versions whole.
      List<ConsumerRecord<byte[], byte[]>> log =
          io.readCommitted("models", Duration.ofSeconds(10), l -> false);
      VersionAssembler assembler = VersionAssembler.inMemory();
      ReplayCheck.offerPublishedSpecs(io, "models", assembler);
      TreeMap<Long, Integer> chunksOfVersion = new TreeMap<>();
      List<Long> assembled = new ArrayList<>();
      TreeMap<Long, Integer> lineageOf = new TreeMap<>();
      List<String> tombstones = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : log) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
          tombstones.add(key.replace('\0', '/'));
          continue;
        }
        assertThat(r.value().length).isLessThanOrEqualTo(LIMIT);
        ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
        assertThat(ChunkKeys.modelId(key)).isEqualTo(u.getModelId());
        if (u.getModelId().equals("big")) {
          chunksOfVersion.merge(u.getVersion(), 1, Integer::sum);
        }
        Optional<ModelUpdate> whole = assembler.offer(u);
        if (whole.isPresent()) {
          assertIsTheTrainers(whole.get(), "read_committed reader");
          if (whole.get().getModelId().equals("big")) {
            assembled.add(whole.get().getVersion());
            lineageOf.put(whole.get().getVersion(), whole.get().getLineage());
          }
        }
      }
      List<Long> expected = new ArrayList<>();
      for (long v = 1; v <= 22; v++) {
        expected.add(v);
      }
      assertThat(assembled).as("exactly-once: every version, once, in order").isEqualTo(expected);
      assertThat(chunksOfVersion.get(20L)).as("chunks of version 20").isGreaterThan(4);
      // The first version of the small lineage (21, or 22 if the spec came a batch late) is one
      // record, and deletes the chunk keys of the version before it.
      long firstSmall =
          lineageOf.entrySet().stream()
              .filter(e -> e.getValue() == 2)
              .findFirst()
              .orElseThrow()
              .getKey();
      assertThat(chunksOfVersion.get(firstSmall)).isEqualTo(1);
      int lastChunks = chunksOfVersion.get(firstSmall - 1);
      List<String> expectedTombstones = new ArrayList<>();
      for (int i = 1; i < lastChunks; i++) {
        expectedTombstones.add("big/" + i);
      }
      assertThat(tombstones).isEqualTo(expectedTombstones);

      // Now let the log cleaner visit the topic: more versions of the other model roll the segment
      // that holds the tombstones, then the cleaner removes every stale chunk.
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "models");
        List<AlterConfigOp> eager = new ArrayList<>();
        Map.of(
                "segment.ms",
                "100",
                "min.cleanable.dirty.ratio",
                "0.01",
                "delete.retention.ms",
                "100")
            .forEach(
                (k, v) ->
                    eager.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(Map.of(topic, eager)).all().get();
      }
      Thread.sleep(200); // the first segment is older than segment.ms when the next record comes
      io.produce("samples", samples("small", 100, 100));
      long before = log.size();
      Set<String> keys = new HashSet<>();
      await(
          "the log cleaner",
          Duration.ofSeconds(90),
          () -> {
            keys.clear();
            for (ConsumerRecord<byte[], byte[]> r :
                io.readCommitted("models", Duration.ofSeconds(2), l -> false)) {
              if (r.value() != null) {
                keys.add(new String(r.key(), StandardCharsets.UTF_8));
              }
            }
            return keys.equals(Set.of("big", "small"));
          });
      List<ConsumerRecord<byte[], byte[]>> compacted =
          io.readCommitted("models", Duration.ofSeconds(2), l -> false);
      assertThat(compacted.size()).isLessThan((int) before);
      VersionAssembler fresh = VersionAssembler.inMemory();
      ReplayCheck.offerPublishedSpecs(io, "models", fresh);
      long latest = 0;
      for (ConsumerRecord<byte[], byte[]> r : compacted) {
        Optional<ModelUpdate> whole = fresh.offer(r.value());
        if (whole.isPresent() && whole.get().getModelId().equals("big")) {
          latest = whole.get().getVersion();
          assertIsTheTrainers(whole.get(), "a reader of the compacted topic");
        }
      }
      assertThat(latest).isEqualTo(22);
      if (job != null) {
        job.cancel().get();
      }
    }
  }

  private static long last(List<ModelUpdate> seen) {
    return seen.isEmpty() ? 0 : seen.get(seen.size() - 1).getVersion();
  }
}
