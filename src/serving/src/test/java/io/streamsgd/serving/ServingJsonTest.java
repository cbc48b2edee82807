package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.core.feature.FeatureVector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON both ways: request bodies to feature vectors, models to answers. */
class ServingJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static FeatureVector parse(String body) throws Exception {
    return ServingHttpApi.features(JSON.readTree(body));
  }

  @Test
  void readsTheThreeFeatureShapes() throws Exception {
    assertThat(parse("{\"features\": [0.5, 2]}"))
        .isEqualTo(FeatureVector.dense(new double[] {0.5, 2.0}));
    assertThat(parse("{\"indices\": [3, 17], \"values\": [1.0, 0.5]}"))
        .isEqualTo(FeatureVector.sparse(new int[] {3, 17}, new double[] {1.0, 0.5}));
    assertThat(parse("{\"names\": [\"country=DE\", \"clicks\"], \"values\": [1, 3]}"))
        .isEqualTo(
            FeatureVector.named(new String[] {"country=DE", "clicks"}, new double[] {1.0, 3.0}));
  }

  @Test
  void refusesWhatIsNotAFeatureVector() {
    assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> parse("{\"features\": [1, \"x\"]}"))
        .hasMessageContaining("finite numbers");
    assertThatThrownBy(() -> parse("{\"features\": 1}")).hasMessageContaining("array of numbers");
    assertThatThrownBy(() -> parse("{\"indices\": [3, 3], \"values\": [1, 2]}"))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> parse("{\"indices\": [3], \"values\": [1, 2]}"))
        .hasMessageContaining("as long as 'values'");
    assertThatThrownBy(() -> parse("{\"names\": [\"a\"], \"values\": []}"))
        .hasMessageContaining("as long as 'values'");
    assertThatThrownBy(() -> parse("{\"x\": 1}")).hasMessageContaining("give 'features'");
  }

  @Test
  void undefinedMetricsAreNullNotNaN() throws Exception {
    Map<String, Object> fresh = ModelJson.summary(LatestModelTopologyTest.update("a", 1));
    assertThat(fresh).containsEntry("prequentialLoss", null).containsEntry("version", 1L);
    String text = JSON.writeValueAsString(ModelJson.full(LatestModelTopologyTest.update("a", 1)));
    assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(JSON.readTree(text).get("metrics").get("meanLoss").isNull()).isTrue();
  }

  @Test
  void aModelWithDriftDetectionShowsItsStatusAndOneWithoutShowsNone() throws Exception {
    var plain =
        JSON.readTree(
            JSON.writeValueAsString(ModelJson.full(LatestModelTopologyTest.update("a", 1))));
    assertThat(plain.has("drift")).isFalse();
    var watched = ModelHistoryTest.withDrift(9, 2, 1, 47, 2);
    var json = JSON.readTree(JSON.writeValueAsString(ModelJson.full(watched)));
    assertThat(json.get("drift").toString())
        .isEqualTo(
            "{\"detector\":\"DDM\",\"reaction\":\"BACKGROUND\",\"warning\":false,\"warnings\":2,"
                + "\"drifts\":1,\"lastDriftSample\":47,\"backgroundSamples\":0}");
    assertThat(json.get("lineage").asInt()).isEqualTo(2);
  }
}
