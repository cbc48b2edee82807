package io.streamsgd.core.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SampleReaderTest {
  private static final Sample.Origin ORIGIN = new Sample.Origin("samples", 3, 42);

  @Test
  void directPathIsWrittenForTheCurrentSchema() {
    assertThat(SampleReader.currentFingerprint())
        .as(
            "TrainingSample.avsc changed: update SampleReader.readBody and DIRECT_PATH_FINGERPRINT to 0x%016xL",
            SampleReader.currentFingerprint())
        .isEqualTo(SampleReader.DIRECT_PATH_FINGERPRINT);
    assertThat(SampleReader.directPathActive()).isTrue();
  }

  @Test
  void readsEverySampleAsAvroDoes() throws Exception {
    Random rnd = new Random(1);
    for (int i = 0; i < 2000; i++) {
      TrainingSample record = randomRecord(rnd);
      byte[] bytes = Codecs.TRAINING_SAMPLE.encode(record);
      assertThat(SampleReader.read(bytes).toSample(ORIGIN)).isEqualTo(viaAvro(bytes));
    }
  }

  @Test
  void readsArraysWrittenInSeveralBlocksWithByteSizes() throws Exception {
    Random rnd = new Random(2);
    int blockedRecords = 0;
    for (int i = 0; i < 200; i++) {
      TrainingSample record = randomRecord(rnd);
      byte[] blocked = blockedEncoding(record);
      if (!Arrays.equals(blocked, Codecs.TRAINING_SAMPLE.encode(record))) {
        blockedRecords++;
      }
      assertThat(SampleReader.read(blocked).toSample(ORIGIN)).isEqualTo(viaAvro(blocked));
    }
    assertThat(blockedRecords).isGreaterThan(50);
  }

  @Test
  void refusesEveryTruncationWithTheKindAvroGives() throws Exception {
    byte[] bytes = Codecs.TRAINING_SAMPLE.encode(randomRecord(new Random(3)));
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = Arrays.copyOf(bytes, n);
      DecodeException avro = catchThrowableOfType(() -> viaAvro(prefix), DecodeException.class);
      DecodeException direct =
          catchThrowableOfType(() -> SampleReader.read(prefix), DecodeException.class);
      assertThat(direct).as("prefix of %d bytes", n).isNotNull();
      assertThat(direct.kind()).as("prefix of %d bytes", n).isEqualTo(avro.kind());
    }
  }

  @Test
  void agreesWithAvroOnCorruptedBytes() throws Exception {
    Random rnd = new Random(4);
    int refused = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] bytes = Codecs.TRAINING_SAMPLE.encode(randomRecord(rnd));
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        bytes[10 + rnd.nextInt(bytes.length - 10)] = (byte) rnd.nextInt(256);
      }
      Object avro = outcome(() -> viaAvro(bytes));
      Object direct = outcome(() -> SampleReader.read(bytes).toSample(ORIGIN));
      assertThat(direct instanceof Sample)
          .as("accepted by one reader only: %s vs %s", direct, avro)
          .isEqualTo(avro instanceof Sample);
      if (avro instanceof Sample) {
        assertThat(direct).isEqualTo(avro);
      } else {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100);
  }

  @Test
  void refusesForeignBytesAndUnknownSchemas() {
    assertThatThrownBy(() -> SampleReader.read(null))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.kind()).isEqualTo(DecodeException.Kind.NOT_SINGLE_OBJECT));
    assertThatThrownBy(() -> SampleReader.read("{\"modelId\":\"m\"}".getBytes()))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.kind()).isEqualTo(DecodeException.Kind.NOT_SINGLE_OBJECT));
    byte[] otherSchema = Codecs.TRAINING_SAMPLE.encode(randomRecord(new Random(5)));
    otherSchema[5] ^= 0x55;
    assertThatThrownBy(() -> SampleReader.read(otherSchema))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.kind()).isEqualTo(DecodeException.Kind.UNKNOWN_SCHEMA));
  }

  private static Sample viaAvro(byte[] bytes) throws DecodeException {
    return SampleConversion.fromAvro(Codecs.TRAINING_SAMPLE.decode(bytes), ORIGIN);
  }

  private interface Decode {
    Object run() throws Exception;
  }

  private static Object outcome(Decode d) {
    try {
      return d.run();
    } catch (DecodeException | IllegalArgumentException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("a decoder threw something other than a decoding failure", e);
    }
  }

  /**
   * The single-object header followed by a body whose arrays are written in blocks of at most 3
   * items with byte sizes.
   */
  private static byte[] blockedEncoding(TrainingSample record) throws Exception {
    byte[] plain = Codecs.TRAINING_SAMPLE.encode(record);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 10);
    BinaryEncoder encoder =
        new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null);
    new SpecificDatumWriter<>(TrainingSample.class).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static TrainingSample randomRecord(Random rnd) {
    int n = rnd.nextInt(40);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(
          rnd.nextInt(20) == 0
              ? Double.NaN
              : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
    }
    Object features;
    switch (rnd.nextInt(3)) {
      case 0 -> features = new DenseFeatures(values);
      case 1 -> {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          idx.add(rnd.nextInt(1 << 20) * (rnd.nextInt(10) == 0 ? -1 : 1));
        }
        features = new SparseFeatures(idx, values);
      }
      default -> {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          names.add(rnd.nextBoolean() ? "f" + rnd.nextInt(1000) : "größe=" + rnd.nextInt(9) + "☃");
        }
        features = new NamedFeatures(names, values);
      }
    }
    return TrainingSample.newBuilder()
        .setModelId("model-" + rnd.nextInt(1000))
        .setFeatures(features)
        .setLabel(rnd.nextInt(3))
        .setWeight(rnd.nextDouble())
        .setEventTime(Instant.ofEpochMilli(rnd.nextLong() >> 20))
        .build();
  }
}
