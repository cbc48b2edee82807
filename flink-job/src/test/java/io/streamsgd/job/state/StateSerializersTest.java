package io.streamsgd.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchSums;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.job.train.OpenBatch;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
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

  private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    return out.getCopyOfBuffer();
  }

  @Test
  void samplesRoundTripDenseAndSparse() throws Exception {
    Sample dense =
        new Sample(
            "m",
            FeatureVector.dense(new double[] {1.5, -2}),
            3,
            0.5,
            77,
            new Sample.Origin("t", 2, 99));
    Sample sparse =
        new Sample(
            "m",
            FeatureVector.sparse(new int[] {1, 9}, new double[] {4, 5}),
            0,
            1,
            78,
            Sample.Origin.UNKNOWN);
    assertThat(roundTrip(new SampleSerializer(), dense)).isEqualTo(dense);
    assertThat(roundTrip(new SampleSerializer(), sparse)).isEqualTo(sparse);
  }

  @Test
  void trainerInputsRoundTripInBothForms() throws Exception {
    Sample sample =
        new Sample(
            "m:1",
            FeatureVector.hashed(new int[] {3, 70}, new double[] {1, -1}),
            1,
            2,
            79,
            new Sample.Origin("t", 1, 5));
    RawRecord raw = new RawRecord("t", 4, 12, 34, "m:1".getBytes(), new byte[] {1, 2, 3});
    RawRecord tombstone = new RawRecord("t", 4, 13, 35, "m:1".getBytes(), null);
    TrainerInputSerializer serializer = new TrainerInputSerializer();

    TrainerInput decoded = roundTrip(serializer, TrainerInput.decoded(sample));
    assertThat(decoded.sample()).isEqualTo(sample);
    assertThat(decoded.raw()).isNull();
    assertThat(decoded.key()).isEqualTo("m:1");
    for (RawRecord r : List.of(raw, tombstone)) {
      TrainerInput undecoded = roundTrip(serializer, TrainerInput.undecoded(r));
      assertThat(undecoded.sample()).isNull();
      assertThat(undecoded.key()).isEqualTo("m:1");
      assertThat(undecoded.raw())
          .usingRecursiveComparison()
          .isEqualTo(r); // topic, partition, offset, timestamp, key and value bytes
    }
  }

  @Test
  void arraysKeepTheLayoutOfDataOutputValueByValue() throws Exception {
    double[] doubles = {1.5, -0.0, Double.NaN, Double.MIN_VALUE, -1e300, Double.POSITIVE_INFINITY};
    int[] ints = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20};
    DataOutputSerializer bulk = new DataOutputSerializer(16);
    DataViews.writeDoubles(doubles, bulk);
    DataViews.writeInts(ints, bulk);
    DataOutputSerializer oneByOne = new DataOutputSerializer(16);
    oneByOne.writeInt(doubles.length);
    for (double d : doubles) {
      oneByOne.writeDouble(d);
    }
    oneByOne.writeInt(ints.length);
    for (int i : ints) {
      oneByOne.writeInt(i);
    }
    // State written before arrays moved as blocks must read back unchanged, and vice versa.
    assertThat(bulk.getCopyOfBuffer()).isEqualTo(oneByOne.getCopyOfBuffer());
    DataInputDeserializer in = new DataInputDeserializer(bulk.getCopyOfBuffer());
    assertThat(DataViews.readDoubles(in)).isEqualTo(doubles);
    assertThat(DataViews.readInts(in)).isEqualTo(ints);
  }

  @Test
  void learnerStateRoundTripsBitForBit() throws Exception {
    LearnerState state = LearnerState.initial(ModelSpecs.linearRegression("m", 3, 0.1, 2));
    MinibatchUpdate.apply(
        state,
        List.of(
            new Sample(
                "m", FeatureVector.dense(new double[] {1, 2, 3}), 4, 1, 1, Sample.Origin.UNKNOWN),
            new Sample(
                "m",
                FeatureVector.dense(new double[] {0.1, 0.2, 0.3}),
                1,
                2,
                2,
                Sample.Origin.UNKNOWN)));
    LearnerState back = roundTrip(new LearnerStateSerializer(), state);
    assertThat(back).isEqualTo(state);
    assertThat(back.version()).isEqualTo(1);
    assertThat(back.model().weights()).containsExactly(state.model().weights());
  }

  /** A hashed model of 2^20 weights after 200 samples of 5 features: its touched columns only. */
  static LearnerState trainedHashedModel(boolean sparseStorage, double l1) {
    var spec =
        ModelSpecs.withRegularization(
            ModelSpecs.withOptimizer(
                ModelSpecs.logisticRegression("big", 1 << 20, 0.1, 4),
                io.streamsgd.schema.OptimizerKind.ADAGRAD,
                0.1),
            l1,
            0);
    LearnerState state =
        LearnerState.initial(spec, io.streamsgd.core.spec.CompiledSpec.of(spec), sparseStorage);
    java.util.Random rnd = new java.util.Random(3);
    for (int b = 0; b < 50; b++) {
      List<Sample> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int[] idx = rnd.ints(5, 0, 1 << 20).distinct().sorted().toArray();
        double[] val = new double[idx.length];
        java.util.Arrays.fill(val, 1.0);
        batch.add(
            new Sample(
                "big",
                FeatureVector.sparse(idx, val),
                rnd.nextInt(2),
                1,
                b,
                Sample.Origin.UNKNOWN));
      }
      MinibatchUpdate.apply(state, batch);
    }
    return state;
  }

  @Test
  void sparseStateRoundTripsAndItsCheckpointGrowsWithTheTouchedColumns() throws Exception {
    LearnerState state = trainedHashedModel(true, 0.001);
    assertThat(state.isSparse()).isTrue();
    LearnerState back = roundTrip(new LearnerStateSerializer(), state);
    assertThat(back).isEqualTo(state);
    assertThat(back.model()).isEqualTo(state.model());
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    new LearnerStateSerializer().serialize(state, out);
    // 1,000 touched columns at most, each a column, a weight, a slot and a touch mark: about 28
    // bytes, where the dense layout would write 2 x 8 MiB.
    assertThat(state.sparseParameters().size()).isBetween(900, 1000);
    assertThat(out.length()).isLessThan(1000 * 28 + 4096);
    // Training on from the restored state gives the same bits as from the original.
    LearnerState a = state.copy();
    LearnerState b = back;
    List<Sample> more =
        List.of(
            new Sample(
                "big",
                FeatureVector.sparse(new int[] {7, 9, 1 << 19}, new double[] {1, 1, 1}),
                1,
                1,
                99,
                Sample.Origin.UNKNOWN));
    MinibatchUpdate.apply(a, more);
    MinibatchUpdate.apply(b, more);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void aDenseStateOfALargeShapeMovesToSparseStorageWhenAnOlderFormatIsRead() throws Exception {
    LearnerState dense = trainedHashedModel(false, 0);
    LearnerState sparse = trainedHashedModel(true, 0);
    assertThat(dense.isSparse()).isFalse();
    DataOutputSerializer out = new DataOutputSerializer(1 << 24);
    new LearnerStateSerializer().serialize(dense, out);
    byte[] format3 = out.getCopyOfBuffer();
    // Format 2 is format 3's dense layout without the storage byte after spec and fingerprint.
    int storageByte = 4 + java.nio.ByteBuffer.wrap(format3).getInt() + 8;
    assertThat(format3[storageByte]).isZero();
    byte[] format2 = new byte[format3.length - 1];
    System.arraycopy(format3, 0, format2, 0, storageByte);
    System.arraycopy(format3, storageByte + 1, format2, storageByte, format2.length - storageByte);
    LearnerState migrated =
        new LearnerStateSerializer()
            .forFormatVersion(2)
            .deserialize(new DataInputDeserializer(format2));
    assertThat(migrated.isSparse()).isTrue();
    assertThat(migrated).isEqualTo(sparse);
  }

  @Test
  void publishedRecordsCrossTheNetworkUncopiedWithinAnOperatorChain() throws Exception {
    var serializer = new PublishedRecordSerializer<>(DeadLetter.class);
    DeadLetter letter =
        DeadLetters.of(
            new RawRecord("samples", 1, 7, 99, null, new byte[] {1, 2}),
            DeadLetterReason.NOT_AVRO,
            "junk",
            null);
    assertThat(roundTrip(serializer, letter)).isEqualTo(letter);
    assertThat(serializer.copy(letter)).isSameAs(letter);

    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
    TypeSerializerSnapshot<DeadLetter> back =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(back.restoreSerializer()).isEqualTo(serializer);
  }

  @Test
  void openBatchRoundTrips() throws Exception {
    OpenBatch b = new OpenBatch(3, 16, 20, 1000, 2000, 5000, -1);
    assertThat(roundTrip(new OpenBatchSerializer(), b)).isEqualTo(b);
  }

  /**
   * An open batch of running sums round-trips bit for bit, dense samples and sparse ones after
   * them, and goes on to the same step as the batch it was; its checkpoint does not grow with the
   * dimension times the samples.
   */
  @Test
  void openBatchOfRunningSumsRoundTripsAndStepsAsItsSamplesWould() throws Exception {
    ModelSpec spec = innerProductSpec(ModelSpecs.softmaxRegression("m", 200, 3, 0.1, 16));
    LearnerState state = LearnerState.initial(spec);
    java.util.Random rnd = new java.util.Random(11);
    List<Sample> first = denseSamples(rnd, 16, 200);
    MinibatchUpdate.apply(state, first); // leaves a reference direction
    assertThat(state.direction()).hasSize(3 * 200 + 3);
    assertThat(roundTrip(new LearnerStateSerializer(), state)).isEqualTo(state);

    List<Sample> batch = new java.util.ArrayList<>(denseSamples(rnd, 40, 200));
    batch.add(
        new Sample(
            "m",
            FeatureVector.sparse(new int[] {3, 77}, new double[] {1.5, -2}),
            1,
            0.5,
            99,
            Sample.Origin.UNKNOWN));
    BatchSums sums = BatchSums.open(state);
    for (Sample s : batch) {
      sums.add(state, s);
    }
    OpenBatch open = new OpenBatch(batch.size(), 16, 48, 1000, -1, -1, -1);
    open.sums = sums;
    byte[] bytes = bytes(new OpenBatchSerializer(), open);
    OpenBatch back = roundTrip(new OpenBatchSerializer(), open);
    assertThat(back).isEqualTo(open);
    assertThat(back.sums.statistics(state)).isEqualTo(sums.statistics(state));
    // 41 samples of 200 features as samples: 65 KB and more; as sums: the k x d gradient
    assertThat(bytes.length).isLessThan(8 * (3 * 200 + 3) + 41 * 40 + 200 + 200);

    LearnerState fromSums = state.copy();
    LearnerState fromSamples = state.copy();
    MinibatchUpdate.apply(fromSums, back.sums);
    MinibatchUpdate.apply(fromSamples, batch);
    assertThat(fromSums).isEqualTo(fromSamples);
  }

  @Test
  void openBatchesOfTheFirstFormatReadWithoutSums() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeInt(3);
    out.writeInt(16);
    out.writeInt(20);
    out.writeLong(1000);
    out.writeLong(-1);
    out.writeLong(-1);
    out.writeLong(-1);
    OpenBatch b =
        new OpenBatchSerializer()
            .forFormatVersion(1)
            .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(b).isEqualTo(new OpenBatch(3, 16, 20, 1000, -1, -1, -1));
    assertThat(b.sums).isNull();
  }

  static ModelSpec innerProductSpec(ModelSpec plain) {
    return ModelSpec.newBuilder(plain)
        .setBatch(
            io.streamsgd.schema.BatchPolicySpec.newBuilder(plain.getBatch())
                .setKind(io.streamsgd.schema.BatchPolicyKind.INNER_PRODUCT_TEST)
                .setMinSize(2)
                .setMaxSize(256)
                .setNu(4.0)
                .build())
        .build();
  }

  static List<Sample> denseSamples(java.util.Random rnd, int n, int d) {
    List<Sample> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      for (int c = 0; c < d; c++) {
        x[c] = rnd.nextGaussian();
      }
      out.add(new Sample("m", FeatureVector.dense(x), rnd.nextInt(3), 1, i, Sample.Origin.UNKNOWN));
    }
    return out;
  }

  @Test
  void snapshotsResolveSameFormatAsIs() {
    TypeSerializerSnapshot<LearnerState> snapshot =
        new LearnerStateSerializer().snapshotConfiguration();
    TypeSerializerSchemaCompatibility<LearnerState> compat =
        new LearnerStateSerializer().snapshotConfiguration().resolveSchemaCompatibility(snapshot);
    assertThat(compat.isCompatibleAsIs()).isTrue();
    assertThat(snapshot.restoreSerializer()).isEqualTo(new LearnerStateSerializer());
  }
}
