package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelSubscriber} on a real broker: highest version wins, only committed records count. */
class ModelSubscriberITCase {
  @TempDir Path tmp;

  @Test
  void keepsTheHighestCommittedVersionPerModel() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp)) {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("models", 2, (short) 1),
                    new NewTopic("models-published-specs", 2, (short) 1)))
            .all()
            .get();
      }
      Map<String, Object> props = new HashMap<>(kafka.clientProperties());
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "subscriber-test");
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        for (long v : new long[] {1, 3, 2, 3}) { // late and duplicate versions
          producer.send(new ProducerRecord<>("models", "a", encode("a", v)));
        }
        producer.send(new ProducerRecord<>("models", "b", encode("b", 5)));
        producer.send(
            new ProducerRecord<>("models", "x", "not avro".getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>("models", "c", null)); // tombstone
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("models", "a", encode("a", 9)));
        producer.flush();
        producer.abortTransaction(); // a read_committed reader never sees version 9
      }

      try (ModelSubscriber subscriber = new ModelSubscriber(kafka.clientProperties(), "models")) {
        assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(subscriber.all()).containsOnlyKeys("a", "b");
        assertThat(subscriber.latest("a").orElseThrow().getVersion()).isEqualTo(3);
        assertThat(subscriber.latest("b").orElseThrow().getVersion()).isEqualTo(5);
        assertThat(subscriber.latest("c")).isEmpty();
        assertThat(subscriber.updatesRead()).isEqualTo(5);
        assertThat(subscriber.undecodableRecords()).isEqualTo(1);
        // weight = version and intercept 0, so x = 2 scores 2 * version with the core's predict
        assertThat(
                subscriber
                    .model("a")
                    .orElseThrow()
                    .predict(FeatureVector.dense(new double[] {2.0}))
                    .value())
            .isEqualTo(6.0);
        assertThat(subscriber.model("a").orElseThrow().version()).isEqualTo(3);

        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
          producer.send(new ProducerRecord<>("models", "a", encode("a", 4))).get();
        }
        assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(subscriber.model("a").orElseThrow().version()).isEqualTo(4);
        assertThat(
                subscriber
                    .model("a")
                    .orElseThrow()
                    .predict(FeatureVector.dense(new double[] {2.0}))
                    .value())
            .isEqualTo(8.0);
      }
    }
  }

  private static byte[] encode(String id, long version) {
    ModelUpdate u = LatestModelTopologyTest.update(id, version);
    return Codecs.MODEL_UPDATE.encode(u);
  }
}
