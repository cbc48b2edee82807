package io.streamsgd.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SampleDecoderTest {

  private static byte[] encode(String model, Object features, double label) {
    return Codecs.TRAINING_SAMPLE.encode(
        TrainingSample.newBuilder()
            .setModelId(model)
            .setFeatures(features)
            .setLabel(label)
            .setEventTime(Instant.ofEpochMilli(5))
            .build());
  }

  private static RawRecord raw(long offset, byte[] value) {
    return new RawRecord("samples", 0, offset, 9L, null, value);
  }

  @Test
  void decodesGoodRecordsAndDeadLettersEveryBadKindWithItsReason() throws Exception {
    byte[] good = encode("m", new DenseFeatures(List.of(1.0, 2.0)), 1.0);
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    byte[] unknownSchema = good.clone();
    unknownSchema[5] ^= 0x7f; // flips a fingerprint byte
    List<RawRecord> input =
        List.of(
            raw(0, good),
            raw(1, "not avro at all".getBytes()),
            raw(2, truncated),
            raw(3, unknownSchema),
            raw(4, new byte[2048]),
            raw(5, encode("", new DenseFeatures(List.of(1.0)), 1.0)),
            raw(6, encode("bad id/with slash", new DenseFeatures(List.of(1.0)), 1.0)),
            raw(7, encode("m", new DenseFeatures(List.of(1.0, Double.NaN)), 1.0)),
            raw(8, encode("m", new DenseFeatures(List.of(1.0)), Double.POSITIVE_INFINITY)),
            raw(9, encode("m", new SparseFeatures(List.of(3, 1), List.of(1.0, 1.0)), 1.0)),
            raw(10, encode("m", new SparseFeatures(List.of(-1), List.of(1.0)), 1.0)),
            raw(11, null));
    OneInputStreamOperatorTestHarness<RawRecord, Sample> h =
        ProcessFunctionTestHarnesses.forProcessFunction(new SampleDecoder(1024, 1000, null));
    for (RawRecord r : input) {
      h.processElement(r, 0);
    }
    List<Sample> samples = h.extractOutputValues();
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).features().values()).containsExactly(1.0, 2.0);
    assertThat(samples.get(0).origin()).isEqualTo(new Sample.Origin("samples", 0, 0));

    List<DeadLetter> letters = new ArrayList<>();
    h.getSideOutput(DeadLetters.TAG).forEach(r -> letters.add(r.getValue()));
    assertThat(letters)
        .extracting(DeadLetter::getReason)
        .containsExactly(
            DeadLetterReason.NOT_AVRO,
            DeadLetterReason.TRUNCATED,
            DeadLetterReason.UNKNOWN_SCHEMA,
            DeadLetterReason.OVERSIZED,
            DeadLetterReason.MISSING_MODEL_ID,
            DeadLetterReason.INVALID_MODEL_ID,
            DeadLetterReason.NON_FINITE_FEATURE,
            DeadLetterReason.NON_FINITE_LABEL,
            DeadLetterReason.SPARSE_INDICES_UNSORTED,
            DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE,
            DeadLetterReason.NOT_AVRO);
    assertThat(letters)
        .extracting(DeadLetter::getOffset)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(letters.get(0).getOriginalValue())
        .isEqualTo(ByteBuffer.wrap("not avro at all".getBytes()));
    assertThat(letters.get(6).getModelId()).isEqualTo("m");
    h.close();
  }
}
