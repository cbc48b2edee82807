package io.streamsgd.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.train.OpenBatch;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StateSerializersTest {

  private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void samplesRoundTripDenseAndSparse() throws Exception {
    Sample dense = new Sample("m", FeatureVector.dense(new double[] {1.5, -2}), 3, 0.5, 77, new Sample.Origin("t", 2, 99));
    Sample sparse = new Sample("m", FeatureVector.sparse(new int[] {1, 9}, new double[] {4, 5}), 0, 1, 78, Sample.Origin.UNKNOWN);
    assertThat(roundTrip(new SampleSerializer(), dense)).isEqualTo(dense);
    assertThat(roundTrip(new SampleSerializer(), sparse)).isEqualTo(sparse);
  }

  @Test
  void learnerStateRoundTripsBitForBit() throws Exception {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 3, 0.1, 2));
    MinibatchUpdate.apply(
        state,
        List.of(
            new Sample("m", FeatureVector.dense(new double[] {1, 2, 3}), 4, 1, 1, Sample.Origin.UNKNOWN),
            new Sample("m", FeatureVector.dense(new double[] {0.1, 0.2, 0.3}), 1, 2, 2, Sample.Origin.UNKNOWN)));
    LearnerState back = roundTrip(new LearnerStateSerializer(), state);
    assertThat(back).isEqualTo(state);
    assertThat(back.version()).isEqualTo(1);
    assertThat(back.model().weights()).containsExactly(state.model().weights());
  }

  @Test
  void openBatchRoundTrips() throws Exception {
    OpenBatch b = new OpenBatch(3, 16, 20, 1000, 2000, 5000, -1);
    assertThat(roundTrip(new OpenBatchSerializer(), b)).isEqualTo(b);
  }

  @Test
  void snapshotsResolveSameFormatAsIs() {
    TypeSerializerSnapshot<LearnerState> snapshot = new LearnerStateSerializer().snapshotConfiguration();
    TypeSerializerSchemaCompatibility<LearnerState> compat =
        new LearnerStateSerializer().snapshotConfiguration().resolveSchemaCompatibility(snapshot);
    assertThat(compat.isCompatibleAsIs()).isTrue();
    assertThat(snapshot.restoreSerializer()).isEqualTo(new LearnerStateSerializer());
  }
}
