package io.streamsgd.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.TrainingSample;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
  private static final TrainingSample SAMPLE =
      TrainingSample.newBuilder()
          .setModelId("m")
          .setFeatures(new DenseFeatures(List.of(1.0, 2.0)))
          .setLabel(1)
          .setEventTime(Instant.ofEpochMilli(42))
          .build();

  @Test
  void writesTheSingleObjectHeaderAndRoundTrips() throws Exception {
    byte[] bytes = Codecs.TRAINING_SAMPLE.encode(SAMPLE);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(Codecs.TRAINING_SAMPLE.decode(bytes)).isEqualTo(SAMPLE);
  }

  @Test
  void classifiesBadBytes() {
    byte[] good = Codecs.TRAINING_SAMPLE.encode(SAMPLE);
    assertKind(new byte[] {1, 2, 3}, DecodeException.Kind.NOT_SINGLE_OBJECT);
    assertKind(Arrays.copyOf(good, good.length - 1), DecodeException.Kind.TRUNCATED);
    byte[] otherFingerprint = good.clone();
    otherFingerprint[2] ^= 1;
    assertKind(otherFingerprint, DecodeException.Kind.UNKNOWN_SCHEMA);
    assertKind(null, DecodeException.Kind.NOT_SINGLE_OBJECT);
  }

  @Test
  void readsRecordsOfAnOlderWriterSchemaOnceItIsKnown() throws Exception {
    // An older producer that did not send the optional weight field yet.
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field f : TrainingSample.getClassSchema().getFields()) {
      if (!f.name().equals("weight")) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    Schema v0 = Schema.createRecord("TrainingSample", null, "io.streamsgd.schema", false, fields);
    GenericRecord old = new GenericData.Record(v0);
    old.put("modelId", "m");
    GenericRecord dense = new GenericData.Record(DenseFeatures.getClassSchema());
    dense.put("values", List.of(3.0));
    old.put("features", dense);
    old.put("label", 0.0);
    old.put("eventTime", 7L);
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old).array();

    SingleObjectCodec<TrainingSample> codec = SingleObjectCodec.of(TrainingSample.class);
    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(DecodeException.class);
    TrainingSample read = codec.withWriterSchema(v0).decode(bytes);
    assertThat(read.getWeight()).isEqualTo(1.0); // the reader's default
    assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(7));
  }

  private static void assertKind(byte[] bytes, DecodeException.Kind kind) {
    assertThatThrownBy(() -> Codecs.TRAINING_SAMPLE.decode(bytes))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
