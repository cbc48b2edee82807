package io.streamsgd.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framings told apart by first byte; what a reader without a registry does with each. */
class FramedCodecTest {
  static final TrainingSample SAMPLE =
      TrainingSample.newBuilder()
          .setModelId("m")
          .setFeatures(new DenseFeatures(List.of(1.0, 2.0)))
          .setLabel(1)
          .setEventTime(Instant.ofEpochMilli(42))
          .build();

  final FramedCodec<TrainingSample> noRegistry = FramedCodec.of(Codecs.TRAINING_SAMPLE, null);

  @Test
  void confluentFramingSwapsTheHeaderAndKeepsTheBody() {
    byte[] single = Codecs.TRAINING_SAMPLE.encode(SAMPLE);
    byte[] framed = ConfluentFraming.fromSingleObject(single, 0x01020304);
    assertThat(Arrays.copyOf(framed, 5)).containsExactly(0, 1, 2, 3, 4);
    assertThat(Arrays.copyOfRange(framed, 5, framed.length))
        .containsExactly(Arrays.copyOfRange(single, 10, single.length));
    assertThat(ConfluentFraming.isFramed(framed)).isTrue();
    assertThat(ConfluentFraming.schemaId(framed)).isEqualTo(0x01020304);
    assertThat(ConfluentFraming.schemaId(ConfluentFraming.fromSingleObject(single, -2)))
        .isEqualTo(-2);
  }

  @Test
  void singleObjectRecordsNeedNoRegistry() throws Exception {
    assertThat(noRegistry.decode(Codecs.TRAINING_SAMPLE.encode(SAMPLE))).isEqualTo(SAMPLE);
  }

  @Test
  void aConfluentRecordWithoutARegistryIsAnUnknownSchemaNamingItsId() {
    byte[] framed = ConfluentFraming.fromSingleObject(Codecs.TRAINING_SAMPLE.encode(SAMPLE), 7);
    DecodeException e =
        catchThrowableOfType(() -> noRegistry.decode(framed), DecodeException.class);
    assertThat(e.kind()).isEqualTo(DecodeException.Kind.UNKNOWN_SCHEMA);
    assertThat(e.getMessage()).contains("schema id 7").contains("no schema registry");
  }

  @Test
  void bytesOfNeitherFramingAreNotAvro() {
    for (byte[] bad : List.of(new byte[] {1, 2, 3, 4, 5, 6}, new byte[] {0, 0, 0}, new byte[0])) {
      DecodeException e = catchThrowableOfType(() -> noRegistry.decode(bad), DecodeException.class);
      assertThat(e.kind())
          .as(Arrays.toString(bad))
          .isEqualTo(DecodeException.Kind.NOT_SINGLE_OBJECT);
    }
  }
}
