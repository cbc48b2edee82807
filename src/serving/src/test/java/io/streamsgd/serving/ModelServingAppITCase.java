package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.schema.codec.Codecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the serving app on a real broker: a clear refusal without its topics, HTTP-only without
 * requests.
 */
class ModelServingAppITCase {
  @TempDir Path tmp;

  @Test
  void
      refusesToStartWithoutItsTopicsOrWithTopicsOfDifferentPartitionsAndServesHttpOnlyWithoutRequests()
          throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"))) {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin.createTopics(List.of(new NewTopic("models", 2, (short) 1))).all().get();
      }
      ServingSettings settings =
          ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams"))
              .withStoreType(LatestModelTopology.StoreType.IN_MEMORY);
      try (ModelServingApp app = new ModelServingApp(settings)) {
        assertThatThrownBy(() -> app.start(Duration.ofSeconds(60)))
            .hasMessageContaining(
                "input topics 'models', 'models-published-specs' and 'prediction-requests' must"
                    + " exist");
      }
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("prediction-requests", 3, (short) 1),
                    new NewTopic("models-published-specs", 1, (short) 1)))
            .all()
            .get();
      }
      try (ModelServingApp app = new ModelServingApp(settings)) {
        assertThatThrownBy(() -> app.start(Duration.ofSeconds(60)))
            .hasMessageContaining(
                "'prediction-requests' has 3 partitions and 'models' 2; it is read beside the"
                    + " models per partition, so both need the same number");
      }
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin.deleteTopics(List.of("prediction-requests")).all().get();
      }
      try (ModelServingApp app = new ModelServingApp(settings)) {
        assertThatThrownBy(() -> app.start(Duration.ofSeconds(60)))
            .hasMessageContaining(
                "'models-published-specs' has 1 partitions and 'models' 2; it is read beside the"
                    + " models per partition, so both need the same number");
      }
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin
            .createPartitions(Map.of("models-published-specs", NewPartitions.increaseTo(2)))
            .all()
            .get();
      }

      try (KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(
              kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
        p.send(
                new ProducerRecord<>(
                    "models",
                    "a",
                    Codecs.MODEL_UPDATE.encode(LatestModelTopologyTest.update("a", 2))))
            .get();
      }
      try (ModelServingApp app =
          new ModelServingApp(settings.withRequestsTopic(null).withApplicationId("http-only"))
              .start(Duration.ofSeconds(60))) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (app.latest("a").isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(app.latest("a").orElseThrow().getVersion()).isEqualTo(2);
      }
    }
  }
}
