package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelUpdate;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class LatestModelTopologyTest {

  /** An update of model {@code id} at {@code version} whose single weight equals the version. */
  static ModelUpdate update(String id, long version) {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression(id, 1, 0.1, 1));
    state.model().weights()[0] = version;
    ModelUpdate u = ModelUpdates.snapshot(state, new BatchResult(1, 1, 0, 0, 0, true), BatchCloseReason.SIZE, null, 0);
    u.setVersion(version);
    return u;
  }

  @Test
  void keepsTheHighestVersionWhateverTheArrivalOrder() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(LatestModelTopology.build("models", LatestModelTopology.StoreType.IN_MEMORY), p)) {
      TestInputTopic<String, ModelUpdate> in =
          driver.createInputTopic("models", new StringSerializer(), new ModelUpdateSerde().serializer());
      KeyValueStore<String, ModelUpdate> store = driver.getKeyValueStore(LatestModelTopology.STORE);

      in.pipeInput("a", update("a", 1));
      in.pipeInput("a", update("a", 3));
      in.pipeInput("a", update("a", 2)); // late
      in.pipeInput("a", update("a", 3)); // duplicate (at-least-once replay)
      in.pipeInput("b", update("b", 7));
      assertThat(store.get("a").getVersion()).isEqualTo(3);
      assertThat(ModelUpdates.model(store.get("a")).weights()[0]).isEqualTo(3.0);
      assertThat(store.get("b").getVersion()).isEqualTo(7);

      in.pipeInput("a", update("a", 4));
      assertThat(store.get("a").getVersion()).isEqualTo(4);
      assertThat(store.get("missing")).isNull();
    }
  }
}
