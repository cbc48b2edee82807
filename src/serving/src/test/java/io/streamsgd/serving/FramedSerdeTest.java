package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FramedSerde}: single-object and Confluent framing, read by first byte, written on request.
 */
class FramedSerdeTest {
  static final int MODEL_UPDATE_ID = 7;
  static final int PREDICTION_ID = 42;

  final StubSchemaRegistry registry;

  FramedSerdeTest() throws Exception {
    registry =
        new StubSchemaRegistry()
            .with(MODEL_UPDATE_ID, Codecs.MODEL_UPDATE.schema())
            .with(PREDICTION_ID, Codecs.PREDICTION.schema());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  static byte[] confluent(ModelUpdate u, int schemaId) {
    return ConfluentFraming.fromSingleObject(Codecs.MODEL_UPDATE.encode(u), schemaId);
  }

  static Prediction prediction() {
    return Prediction.newBuilder()
        .setRequestId("r1")
        .setModelId("a")
        .setModelVersion(3L)
        .setScore(6.0)
        .setValue(6.0)
        .setPredictedClass(-1)
        .setServedAt(Instant.ofEpochMilli(1_700_000_000_123L))
        .build();
  }

  /**
   * The same record: version and weights, and every other field by its encoding (a NaN metric makes
   * two equal updates unequal to {@code equals}).
   */
  static void assertSame(ModelUpdate read, ModelUpdate written) {
    assertThat(read.getVersion()).isEqualTo(written.getVersion());
    assertThat(read.getParameters().getWeights())
        .containsExactlyElementsOf(written.getParameters().getWeights());
    assertThat(Codecs.MODEL_UPDATE.encode(read)).isEqualTo(Codecs.MODEL_UPDATE.encode(written));
  }

  @Test
  void withoutARegistryWritesAndReadsSingleObjectEncodingAsBefore() {
    ModelUpdate u = LatestModelTopologyTest.update("a", 3);
    Serde<ModelUpdate> serde = FramedSerde.modelUpdate(null);
    byte[] bytes = serde.serializer().serialize("models", u);
    assertThat(bytes).isEqualTo(Codecs.MODEL_UPDATE.encode(u));
    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    assertSame(serde.deserializer().deserialize("models", bytes), u);
    assertThat(serde.deserializer().deserialize("models", null)).isNull();
  }

  @Test
  void readsBothFramingsThroughTheRegistry() {
    ModelUpdate u3 = LatestModelTopologyTest.update("a", 3);
    ModelUpdate u4 = LatestModelTopologyTest.update("a", 4);
    Serde<ModelUpdate> serde = FramedSerde.modelUpdate(registry.registry());
    ModelUpdate fromConfluent =
        serde.deserializer().deserialize("models", confluent(u3, MODEL_UPDATE_ID));
    assertSame(fromConfluent, u3);
    assertSame(serde.deserializer().deserialize("models", Codecs.MODEL_UPDATE.encode(u4)), u4);
  }

  @Test
  void aConfluentFramedRecordWithoutARegistryFailsAsAnUnknownSchemaAndSaysWhy() {
    byte[] framed = confluent(LatestModelTopologyTest.update("a", 3), MODEL_UPDATE_ID);
    assertThatThrownBy(
            () -> FramedSerde.modelUpdate(null).deserializer().deserialize("models", framed))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "not a readable ModelUpdate on models (UNKNOWN_SCHEMA): Confluent wire format (schema"
                + " id 7) but no schema registry is configured to look the id up");
  }

  @Test
  void anIdTheRegistryDoesNotHaveFailsAsAnUnknownSchema() {
    byte[] framed = confluent(LatestModelTopologyTest.update("a", 3), 99);
    assertThatThrownBy(
            () ->
                FramedSerde.modelUpdate(registry.registry())
                    .deserializer()
                    .deserialize("models", framed))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "not a readable ModelUpdate on models (UNKNOWN_SCHEMA): schema id 99 is not in the"
                + " schema registry at "
                + registry.url());
  }

  @Test
  void writesConfluentFramingWithTheGivenIdAndTheSameBody() {
    Prediction p = prediction();
    byte[] singleObject = Codecs.PREDICTION.encode(p);
    byte[] framed =
        FramedSerde.prediction(null, PREDICTION_ID).serializer().serialize("predictions", p);
    assertThat(Arrays.copyOf(framed, ConfluentFraming.HEADER)).containsExactly(0, 0, 0, 0, 42);
    assertThat(ConfluentFraming.schemaId(framed)).isEqualTo(PREDICTION_ID);
    assertThat(Arrays.copyOfRange(framed, ConfluentFraming.HEADER, framed.length))
        .isEqualTo(Arrays.copyOfRange(singleObject, 10, singleObject.length));
    assertThat(
            FramedSerde.prediction(registry.registry(), null)
                .deserializer()
                .deserialize("predictions", framed))
        .isEqualTo(p);
    assertThat(FramedSerde.prediction(null, null).serializer().serialize("predictions", p))
        .isEqualTo(singleObject);
  }
}
