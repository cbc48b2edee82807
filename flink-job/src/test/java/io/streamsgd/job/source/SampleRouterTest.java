package io.streamsgd.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SampleRouterTest {
  private static final SampleFormat FORMAT = new SampleFormat(1024, 1000, null);

  private static byte[] sample(String model) {
    return Codecs.TRAINING_SAMPLE.encode(
        TrainingSample.newBuilder()
            .setModelId(model)
            .setFeatures(new DenseFeatures(List.of(1.0, 2.0)))
            .setLabel(1.0)
            .setEventTime(Instant.ofEpochMilli(5))
            .build());
  }

  private static RawRecord raw(long offset, String key, byte[] value) {
    return raw(offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static RawRecord raw(long offset, byte[] key, byte[] value) {
    return new RawRecord("samples", 3, offset, 9L, key, value);
  }

  private static OneInputStreamOperatorTestHarness<RawRecord, TrainerInput> route(
      boolean useKeys, List<RawRecord> records) throws Exception {
    var h = ProcessFunctionTestHarnesses.forProcessFunction(new SampleRouter(FORMAT, useKeys));
    for (RawRecord r : records) {
      h.processElement(r, 0);
    }
    return h;
  }

  private static List<DeadLetter> deadLetters(
      OneInputStreamOperatorTestHarness<RawRecord, TrainerInput> h) {
    List<DeadLetter> out = new ArrayList<>();
    if (h.getSideOutput(DeadLetters.TAG) != null) {
      h.getSideOutput(DeadLetters.TAG).forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  @Test
  void recordsKeyedByAModelIdCrossUndecodedWhateverTheirBytes() throws Exception {
    byte[] junk = "not avro".getBytes(StandardCharsets.UTF_8);
    RawRecord good = raw(0, "m-1", sample("m-1"));
    RawRecord bad = raw(1, "m-1", junk);
    RawRecord elsewhere = raw(2, "m-2", sample("m-1")); // the trainer finds the mismatch
    try (var h = route(true, List.of(good, bad, elsewhere))) {
      List<TrainerInput> out = h.extractOutputValues();
      assertThat(out).extracting(TrainerInput::sample).containsOnlyNulls();
      assertThat(out)
          .extracting(TrainerInput::raw)
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactly(good, bad, elsewhere);
      assertThat(out).extracting(TrainerInput::key).containsExactly("m-1", "m-1", "m-2");
      assertThat(deadLetters(h)).isEmpty();
    }
  }

  @Test
  void recordsWithoutAModelIdKeyAreDecodedHereAndRoutedByTheirModelId() throws Exception {
    byte[] confluentStringKey = {0, 0, 0, 0, 7, 6, 'm', '-', '1'};
    List<RawRecord> records =
        List.of(
            raw(0, (String) null, sample("m-1")),
            raw(1, "not/a model id", sample("m-1")),
            raw(2, "é", sample("m-1")),
            raw(3, "x".repeat(129), sample("m-1")),
            raw(4, "", sample("m-1")),
            raw(5, confluentStringKey, sample("m-1")),
            raw(6, (String) null, "junk".getBytes(StandardCharsets.UTF_8)),
            // too large to ship: refused before the shuffle, keyed or not
            raw(7, "m-1", new byte[2048]));
    try (var h = route(true, records)) {
      List<TrainerInput> out = h.extractOutputValues();
      assertThat(out).hasSize(6);
      assertThat(out).extracting(TrainerInput::raw).containsOnlyNulls();
      assertThat(out).extracting(TrainerInput::key).containsOnly("m-1");
      assertThat(out)
          .extracting(i -> i.sample().origin().offset())
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(deadLetters(h))
          .extracting(DeadLetter::getReason, DeadLetter::getOffset)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(DeadLetterReason.NOT_AVRO, 6L),
              org.assertj.core.groups.Tuple.tuple(DeadLetterReason.OVERSIZED, 7L));
    }
  }

  @Test
  void withKeysIgnoredEveryRecordIsDecodedBeforeTheShuffle() throws Exception {
    RawRecord keyed = raw(0, "other-id", sample("m-1"));
    try (var h = route(false, List.of(keyed, raw(1, "m-1", "junk".getBytes())))) {
      List<TrainerInput> out = h.extractOutputValues();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).key()).isEqualTo("m-1");
      assertThat(out.get(0).sample().modelId()).isEqualTo("m-1");
      assertThat(deadLetters(h))
          .extracting(DeadLetter::getReason)
          .containsExactly(DeadLetterReason.NOT_AVRO);
    }
  }

  @Test
  void aKeyIsAModelIdExactlyWhenTheModelIdPatternSaysSo() {
    Random rnd = new Random(7);
    byte[] alphabet = "aZ09._:-/ é\u0000".getBytes(StandardCharsets.UTF_8);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      int n = rnd.nextInt(132);
      byte[] key = new byte[n];
      for (int j = 0; j < n; j++) {
        key[j] =
            rnd.nextInt(10) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
        if (rnd.nextInt(4) > 0) {
          key[j] = "abcXYZ019._:-".getBytes()[rnd.nextInt(13)];
        }
      }
      boolean expected =
          SpecValidator.MODEL_ID.matcher(new String(key, StandardCharsets.UTF_8)).matches();
      assertThat(SampleRouter.modelIdKey(key)).as("key %s", new String(key)).isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).isBetween(100, 19_000);
    assertThat(SampleRouter.modelIdKey(null)).isFalse();
  }
}
