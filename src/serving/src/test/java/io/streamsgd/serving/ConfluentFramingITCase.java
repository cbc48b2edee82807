package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.registry.SchemaRegistryProcess;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import io.streamsgd.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models and requests in the Confluent wire format, on a real broker, their schemas in a real
 * registry (Apicurio, through its Confluent API): {@link ModelSubscriber} and the serving app hold
 * the right versions and score as {@code PublishedModel.predict} does, and the app writes its
 * predictions in the Confluent framing with the id it registered. One registry and one broker for
 * the class.
 */
class ConfluentFramingITCase {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  static SchemaRegistryProcess registryProcess;
  static EmbeddedKafkaBroker kafka;
  static SchemaRegistryClient registry;

  @BeforeAll
  static void start() throws Exception {
    registryProcess = SchemaRegistryProcess.start(tmp.resolve("registry"), Duration.ofMinutes(2));
    kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"));
    registry = new SchemaRegistryClient(RegistryConfig.of(registryProcess.confluentUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (registryProcess != null) {
      registryProcess.close();
    }
  }

  static void createTopics(String... names) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, 2, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  /** Client properties with the registry under Confluent's name. */
  static Map<String, Object> withRegistry() {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("schema.registry.url", registryProcess.confluentUrl());
    return props;
  }

  static void send(String topic, List<ProducerRecord<String, byte[]>> records) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) {
        producer.send(r).get();
      }
    }
  }

  static ModelUpdate update(String id, long version) {
    return LatestModelTopologyTest.update(id, version);
  }

  static double predict(ModelUpdate u, double... x) {
    return PublishedModel.of(u).predict(FeatureVector.dense(x)).value();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void modelSubscriberHoldsTheHighestConfluentFramedVersionsAndScoresAsTheCore() throws Exception {
    String topic = "subscribed-models";
    createTopics(topic, TopicNames.publishedSpecs(topic));
    int modelId = registry.register(topic + "-value", Codecs.MODEL_UPDATE.schema());
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    records.add(confluent(topic, update("a", 1), modelId));
    records.add(confluent(topic, update("a", 3), modelId));
    records.add(singleObject(topic, update("a", 2))); // late, in the other framing
    records.add(confluent(topic, update("b", 5), modelId));
    records.add(confluent(topic, update("x", 9), modelId + 1000)); // an id the registry lacks
    records.add(new ProducerRecord<>(topic, "c", null)); // tombstone
    ModelUpdate big = ChunkedModelTopologyTest.version(2);
    List<ModelRecord> chunks = ModelChunks.split(big, 6_000);
    assertThat(chunks).hasSizeGreaterThan(1);
    for (ModelRecord chunk : chunks) {
      records.add(
          new ProducerRecord<>(
              topic, chunk.key(), ConfluentFraming.fromSingleObject(chunk.value(), modelId)));
    }
    send(topic, records);

    try (ModelSubscriber withRegistry = new ModelSubscriber(withRegistry(), topic);
        ModelSubscriber without = new ModelSubscriber(kafka.clientProperties(), topic)) {
      assertThat(withRegistry.awaitCaughtUp(WAIT)).isTrue();
      assertThat(withRegistry.all()).containsOnlyKeys("a", "b", "big");
      assertThat(withRegistry.latest("a").orElseThrow().getVersion()).isEqualTo(3);
      assertThat(withRegistry.latest("b").orElseThrow().getVersion()).isEqualTo(5);
      assertThat(withRegistry.latest("big").orElseThrow().getVersion()).isEqualTo(2);
      assertThat(withRegistry.updatesRead()).isEqualTo(4 + chunks.size());
      assertThat(withRegistry.undecodableRecords()).isEqualTo(1);
      // weight = version, intercept 0: 2 * 3 with the core's own predict
      assertThat(withRegistry.model("a").orElseThrow().predict(dense(2.0)).value())
          .isEqualTo(predict(update("a", 3), 2.0))
          .isEqualTo(6.0);
      assertThat(withRegistry.model("b").orElseThrow().predict(dense(0.5)).value()).isEqualTo(2.5);
      double[] ones = new double[2048];
      Arrays.fill(ones, 1.0);
      assertThat(withRegistry.model("big").orElseThrow().predict(FeatureVector.dense(ones)).value())
          .as("the chunks put back together: 2048 weights of 2")
          .isEqualTo(predict(big, ones))
          .isEqualTo(4096.0);

      // Without a registry, as before: single-object records only, the others counted as skipped.
      assertThat(without.awaitCaughtUp(WAIT)).isTrue();
      assertThat(without.all()).containsOnlyKeys("a");
      assertThat(without.latest("a").orElseThrow().getVersion()).isEqualTo(2);
      assertThat(without.undecodableRecords()).isEqualTo(4 + chunks.size());

      send(topic, List.of(confluent(topic, update("a", 4), modelId)));
      assertThat(withRegistry.awaitCaughtUp(WAIT)).isTrue();
      assertThat(withRegistry.model("a").orElseThrow().version()).isEqualTo(4);
      assertThat(withRegistry.model("a").orElseThrow().predict(dense(2.0)).value()).isEqualTo(8.0);
    }
  }

  @Test
  void servingAppReadsBothFramingsAndWritesConfluentFramedPredictions() throws Exception {
    createTopics("models", "models-published-specs", "prediction-requests", "predictions");
    int modelId = registry.register("models-value", Codecs.MODEL_UPDATE.schema());
    int requestId =
        registry.register("prediction-requests-value", Codecs.PREDICTION_REQUEST.schema());
    send(
        "models",
        List.of(
            confluent("models", update("a", 1), modelId),
            confluent("models", update("a", 4), modelId),
            confluent("models", update("a", 3), modelId), // stale
            singleObject("models", update("b", 2)),
            singleObject("models", update("a", 2)))); // stale with a registry, the one without

    ServingSettings settings =
        ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams"))
            .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
            .withHttp("127.0.0.1", 0)
            .withKafkaProperties(Map.of("schema.registry.url", registryProcess.confluentUrl()))
            .withPredictionFraming(PredictionFraming.CONFLUENT);
    try (ModelServingApp app = new ModelServingApp(settings).start(WAIT);
        ModelServingApp withoutRegistry =
            new ModelServingApp(
                    ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams-2"))
                        .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
                        .withApplicationId("serving-without-registry")
                        .withRequestsTopic(null))
                .start(WAIT)) {
      await("a at version 4", () -> version(app, "a") == 4 && version(app, "b") == 2);
      ModelServingApp.ServedPrediction served = app.predict("a", dense(2.0)).orElseThrow();
      assertThat(served.version()).isEqualTo(4);
      assertThat(served.prediction().value())
          .isEqualTo(predict(update("a", 4), 2.0))
          .isEqualTo(8.0);
      await("the dashboard's reader at a's version 4", () -> historyVersion(app, "a") == 4);

      await(
          "single-object versions without a registry",
          () -> version(withoutRegistry, "a") == 2 && version(withoutRegistry, "b") == 2);

      send(
          "prediction-requests",
          List.of(
              new ProducerRecord<>(
                  "prediction-requests",
                  "a",
                  ConfluentFraming.fromSingleObject(
                      Codecs.PREDICTION_REQUEST.encode(request("r1", "a", 2.0)), requestId)),
              new ProducerRecord<>(
                  "prediction-requests",
                  "b",
                  Codecs.PREDICTION_REQUEST.encode(request("r2", "b", 0.5))),
              new ProducerRecord<>(
                  "prediction-requests",
                  "c",
                  ConfluentFraming.fromSingleObject(
                      Codecs.PREDICTION_REQUEST.encode(request("r3", "c", 1.0)), requestId))));
      List<byte[]> out = read("predictions", 3);

      int predictionId = registry.register("predictions-value", Codecs.PREDICTION.schema());
      assertThat(predictionId).isNotIn(modelId, requestId);
      FramedCodec<Prediction> reader =
          FramedCodec.of(
              Codecs.PREDICTION,
              CachedRegistry.shared(RegistryConfig.of(registryProcess.confluentUrl())));
      Map<String, Prediction> byRequest = new HashMap<>();
      for (byte[] bytes : out) {
        assertThat(bytes[0]).as("Confluent magic byte").isZero();
        assertThat(ConfluentFraming.schemaId(bytes)).isEqualTo(predictionId);
        Prediction p = reader.decode(bytes);
        byRequest.put(p.getRequestId(), p);
      }
      assertThat(byRequest).containsOnlyKeys("r1", "r2", "r3");
      assertThat(byRequest.get("r1").getModelVersion()).isEqualTo(4L);
      assertThat(byRequest.get("r1").getValue()).isEqualTo(predict(update("a", 4), 2.0));
      assertThat(byRequest.get("r2").getModelVersion()).isEqualTo(2L);
      assertThat(byRequest.get("r2").getValue())
          .isEqualTo(predict(update("b", 2), 0.5))
          .isEqualTo(1.0);
      assertThat(byRequest.get("r3").getError()).isEqualTo("unknown model 'c'");
      assertThat(byRequest.get("r3").getModelVersion()).isNull();
    }
  }

  static ProducerRecord<String, byte[]> confluent(String topic, ModelUpdate u, int schemaId) {
    return new ProducerRecord<>(
        topic,
        u.getModelId(),
        ConfluentFraming.fromSingleObject(Codecs.MODEL_UPDATE.encode(u), schemaId));
  }

  static ProducerRecord<String, byte[]> singleObject(String topic, ModelUpdate u) {
    return new ProducerRecord<>(topic, u.getModelId(), Codecs.MODEL_UPDATE.encode(u));
  }

  static PredictionRequest request(String requestId, String modelId, double x) {
    return LatestModelTopologyTest.request(requestId, modelId, x);
  }

  static FeatureVector dense(double x) {
    return FeatureVector.dense(new double[] {x});
  }

  static long version(ModelServingApp app, String modelId) {
    return app.latest(modelId).map(ModelUpdate::getVersion).orElse(0L);
  }

  static long historyVersion(ModelServingApp app, String modelId) {
    return app.history().curves().stream()
        .filter(c -> c.modelId().equals(modelId))
        .mapToLong(c -> c.latest().version())
        .findFirst()
        .orElse(0L);
  }

  /** The first {@code count} values of {@code topic}, from its beginning. */
  static List<byte[]> read(String topic, int count) {
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < count) {
        assertThat(System.nanoTime()).as("%d records on %s", count, topic).isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
