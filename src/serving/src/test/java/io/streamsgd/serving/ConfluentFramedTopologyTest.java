package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serving topology with a registry: models and requests in both framings, predictions written
 * in the Confluent framing with the id their schema was registered under.
 */
class ConfluentFramedTopologyTest {
  static final int MODEL_UPDATE_ID = 7;
  static final int REQUEST_ID = 8;

  StubSchemaRegistry stub;
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> models;
  TestInputTopic<String, byte[]> requests;
  TestOutputTopic<String, byte[]> predictions;

  @BeforeEach
  void setUp() throws Exception {
    stub =
        new StubSchemaRegistry()
            .with(MODEL_UPDATE_ID, Codecs.MODEL_UPDATE.schema())
            .with(REQUEST_ID, Codecs.PREDICTION_REQUEST.schema());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ServingSettings s =
        ServingSettings.defaults("unused:9092", Path.of("unused"))
            .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
            .withKafkaProperties(Map.of("schema.registry.url", stub.url()))
            .withPredictionFraming(PredictionFraming.CONFLUENT);
    driver = new TopologyTestDriver(LatestModelTopology.build(s, new RequestScorer()), p);
    models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
    requests =
        driver.createInputTopic(
            "prediction-requests", new StringSerializer(), new ByteArraySerializer());
    predictions =
        driver.createOutputTopic(
            "predictions", new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
    stub.close();
  }

  static byte[] confluent(ModelUpdate u) {
    return ConfluentFraming.fromSingleObject(Codecs.MODEL_UPDATE.encode(u), MODEL_UPDATE_ID);
  }

  static byte[] confluent(PredictionRequest r) {
    return ConfluentFraming.fromSingleObject(Codecs.PREDICTION_REQUEST.encode(r), REQUEST_ID);
  }

  @Test
  void readsBothFramingsAndAnswersInTheConfluentOne() throws Exception {
    models.pipeInput("a", confluent(LatestModelTopologyTest.update("a", 1)));
    models.pipeInput("a", Codecs.MODEL_UPDATE.encode(LatestModelTopologyTest.update("a", 2)));
    models.pipeInput("a", confluent(LatestModelTopologyTest.update("a", 3)));
    models.pipeInput("a", confluent(LatestModelTopologyTest.update("a", 2))); // stale
    models.pipeInput("b", Codecs.MODEL_UPDATE.encode(LatestModelTopologyTest.update("b", 5)));
    requests.pipeInput("a", confluent(LatestModelTopologyTest.request("r1", "a", 2.0)));
    requests.pipeInput(
        "b", Codecs.PREDICTION_REQUEST.encode(LatestModelTopologyTest.request("r2", "b", 0.5)));
    requests.pipeInput("c", confluent(LatestModelTopologyTest.request("r3", "c", 1.0)));

    assertThat(stub.registeredSubjects()).containsExactly("predictions-value");
    int predictionId = stub.registry().register("predictions-value", Codecs.PREDICTION.schema());
    List<byte[]> out = predictions.readValuesToList();
    assertThat(out).hasSize(3);
    assertThat(out)
        .allSatisfy(
            bytes -> {
              assertThat(ConfluentFraming.isFramed(bytes)).isTrue();
              assertThat(ConfluentFraming.schemaId(bytes)).isEqualTo(predictionId);
            });
    var reader = FramedSerde.prediction(stub.registry(), null).deserializer();
    List<Prediction> read = out.stream().map(b -> reader.deserialize("predictions", b)).toList();
    assertThat(read).extracting(Prediction::getRequestId).containsExactly("r1", "r2", "r3");
    assertThat(read).extracting(Prediction::getModelVersion).containsExactly(3L, 5L, null);
    // weight = version, intercept 0: 2 * 3 and 0.5 * 5, exactly as the core scores them
    double a = predict(LatestModelTopologyTest.update("a", 3), 2.0);
    double b = predict(LatestModelTopologyTest.update("b", 5), 0.5);
    assertThat(a).isEqualTo(6.0);
    assertThat(b).isEqualTo(2.5);
    assertThat(read.get(0).getValue()).isEqualTo(a);
    assertThat(read.get(1).getValue()).isEqualTo(b);
    assertThat(read.get(2).getError()).isEqualTo("unknown model 'c'");
  }

  static double predict(ModelUpdate u, double x) {
    return PublishedModel.of(u).predict(FeatureVector.dense(new double[] {x})).value();
  }
}
