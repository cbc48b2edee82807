package io.streamsgd.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.publish.ModelRecord;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ModelRecordTypeSerializerTest {

  private static ModelRecord roundTrip(ModelRecord r) throws Exception {
    ModelRecordTypeSerializer serializer = new ModelRecordTypeSerializer();
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(r, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void recordsAndTombstonesCrossTheNetworkWhole() throws Exception {
    ModelRecord chunk = new ModelRecord("m", "m\u00002", new byte[] {(byte) 0xC3, 1, 0, 7}, 42L);
    ModelRecord back = roundTrip(chunk);
    assertThat(back.modelId()).isEqualTo("m");
    assertThat(back.key()).isEqualTo("m\u00002");
    assertThat(back.value()).containsExactly(0xC3, 1, 0, 7);
    assertThat(back.timestamp()).isEqualTo(42L);
    assertThat(back.spec()).isFalse();

    ModelRecord spec = roundTrip(ModelRecord.publishedSpec("m", new byte[] {1, 2}, 44L));
    assertThat(spec.spec()).isTrue();
    assertThat(spec.key()).isEqualTo("m");
    assertThat(spec.value()).containsExactly(1, 2);

    ModelRecord tombstone = roundTrip(new ModelRecord("m", "m\u00003", null, 43L));
    assertThat(tombstone.tombstone()).isTrue();
    assertThat(tombstone.key()).isEqualTo("m\u00003");
    assertThat(new ModelRecordTypeSerializer().copy(chunk)).isSameAs(chunk);
  }
}
