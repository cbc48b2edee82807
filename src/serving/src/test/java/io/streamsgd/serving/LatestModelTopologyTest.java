package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.Predictor;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatestModelTopologyTest {
  TopologyTestDriver driver;
  TestInputTopic<String, ModelUpdate> models;
  TestInputTopic<String, PredictionRequest> requests;
  TestOutputTopic<String, Prediction> predictions;

  /** An update of model {@code id} at {@code version} whose single weight equals the version. */
  static ModelUpdate update(String id, long version) {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression(id, 1, 0.1, 1));
    state.model().weights()[0] = version;
    ModelUpdate u =
        ModelUpdates.snapshot(
            state, new BatchResult(1, 1, 0, 0, 0, true), BatchCloseReason.SIZE, null, 0);
    u.setVersion(version);
    return u;
  }

  static PredictionRequest request(String requestId, String model, double... x) {
    return new PredictionRequest(requestId, model, new DenseFeatures(toList(x)));
  }

  static List<Double> toList(double[] x) {
    return java.util.Arrays.stream(x).boxed().toList();
  }

  @BeforeEach
  void setUp() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ServingSettings s =
        ServingSettings.defaults("unused:9092", Path.of("unused"))
            .withStoreType(LatestModelTopology.StoreType.IN_MEMORY);
    driver = new TopologyTestDriver(LatestModelTopology.build(s, new RequestScorer()), p);
    models =
        driver.createInputTopic(
            "models", new StringSerializer(), FramedSerde.modelUpdate(null).serializer());
    requests =
        driver.createInputTopic(
            "prediction-requests",
            new StringSerializer(),
            FramedSerde.predictionRequest(null).serializer());
    predictions =
        driver.createOutputTopic(
            "predictions",
            new StringDeserializer(),
            FramedSerde.prediction(null, null).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void keepsTheHighestVersionWhateverTheArrivalOrder() {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(LatestModelTopology.STORE);
    CurrentModels current = new CurrentModels();
    models.pipeInput("a", update("a", 1));
    models.pipeInput("a", update("a", 3));
    models.pipeInput("a", update("a", 2)); // late
    models.pipeInput("a", update("a", 3)); // duplicate (at-least-once replay)
    models.pipeInput("b", update("b", 7));
    assertThat(current.get(store, "a").orElseThrow().getVersion()).isEqualTo(3);
    assertThat(ModelUpdates.model(current.get(store, "a").orElseThrow()).weights()[0])
        .isEqualTo(3.0);
    assertThat(current.get(store, "b").orElseThrow().getVersion()).isEqualTo(7);
    models.pipeInput("a", update("a", 4));
    assertThat(current.get(store, "a").orElseThrow().getVersion()).isEqualTo(4);
    assertThat(current.get(store, "missing")).isEmpty();
    assertThat(StreamsChunkStore.modelIds(store)).containsExactly("a", "b");
    assertThat(store.approximateNumEntries())
        .as("per model: its marker and its record")
        .isEqualTo(4);
  }

  @Test
  void eachRequestIsScoredWithTheVersionCurrentWhenItArrives() {
    models.pipeInput("a", update("a", 1));
    requests.pipeInput("a", request("r1", "a", 2.0));
    models.pipeInput("a", update("a", 2));
    requests.pipeInput("a", request("r2", "a", 2.0));
    models.pipeInput("a", update("a", 1)); // stale: changes nothing
    requests.pipeInput("a", request("r3", "a", 2.0));
    List<Prediction> out = predictions.readValuesToList();
    assertThat(out).extracting(Prediction::getRequestId).containsExactly("r1", "r2", "r3");
    assertThat(out).extracting(Prediction::getModelVersion).containsExactly(1L, 2L, 2L);
    // weight = version, intercept 0: the score is 2 * version, exactly the core's prediction
    double core =
        new Predictor(update("a", 2).getSpec(), ModelUpdates.model(update("a", 2)))
            .predict(FeatureVector.dense(new double[] {2.0}))
            .value();
    assertThat(out.get(1).getValue()).isCloseTo(core, within(0.0)).isEqualTo(4.0);
    assertThat(out).allSatisfy(p -> assertThat(p.getError()).isNull());
  }

  @Test
  void unknownModelsAndMisfitFeaturesGetErrorRecords() {
    models.pipeInput("a", update("a", 5));
    requests.pipeInput("nobody", request("r1", "nobody", 1.0));
    requests.pipeInput("a", request("r2", "a", 1.0, 2.0));
    List<Prediction> out = predictions.readValuesToList();
    assertThat(out.get(0).getError()).isEqualTo("unknown model 'nobody'");
    assertThat(out.get(0).getModelVersion()).isNull();
    assertThat(out.get(1).getError()).contains("model expects 1 features, got 2");
    assertThat(out.get(1).getModelVersion()).isEqualTo(5L);
  }
}
