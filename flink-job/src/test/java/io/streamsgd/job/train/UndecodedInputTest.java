package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.SampleFormat;
import io.streamsgd.job.source.SampleRouter;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Records keyed by their model id reach the trainer as bytes and are decoded there: the models they
 * train are those of the same samples decoded before the shuffle, bit for bit, and what cannot be
 * trained on leaves with the reason and coordinates the decoder gives.
 */
class UndecodedInputTest {
  private static final ModelSpec SPEC_A = ModelSpecs.linearRegression("a", 2, 0.1, 4);
  private static final ModelSpec SPEC_B = ModelSpecs.logisticRegression("b", 2, 0.5, 3);

  private static byte[] encode(String model, List<Double> x, double y, long t) {
    return Codecs.TRAINING_SAMPLE.encode(
        TrainingSample.newBuilder()
            .setModelId(model)
            .setFeatures(new DenseFeatures(x))
            .setLabel(y)
            .setEventTime(Instant.ofEpochMilli(t))
            .build());
  }

  private static RawRecord record(long offset, String key, byte[] value) {
    return new RawRecord(
        "samples", 2, offset, 1000L + offset, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Samples of models a and b, interleaved, keyed by their model id. */
  private static List<RawRecord> stream(int n) {
    Random r = new Random(11);
    List<RawRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x0 = r.nextDouble();
      double x1 = r.nextDouble();
      boolean a = i % 3 != 0;
      double y = a ? 3 * x0 - x1 + 0.5 : (x0 + x1 > 1 ? 1 : 0);
      String model = a ? "a" : "b";
      out.add(record(i, model, encode(model, List.of(x0, x1), y, 1000L + i)));
    }
    return out;
  }

  /** The records as the router sends them with record keys ignored: decoded before the shuffle. */
  private static List<TrainerInput> decodedBeforeTheShuffle(List<RawRecord> records)
      throws Exception {
    try (var router =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new SampleRouter(new SampleFormat(1 << 20, 1 << 20, null), false))) {
      for (RawRecord r : records) {
        router.processElement(r, 0);
      }
      return router.extractOutputValues();
    }
  }

  private static List<DeadLetter> deadLetters(TrainerHarness.Harness h) {
    List<DeadLetter> out = new ArrayList<>();
    if (h.getSideOutput(DeadLetters.TAG) != null) {
      h.getSideOutput(DeadLetters.TAG).forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  @Test
  void decodedInTheTrainerTheModelsAreThoseOfSamplesDecodedBeforeTheShuffle() throws Exception {
    List<RawRecord> records = stream(60);
    List<ModelUpdate> undecoded;
    try (var h = TrainerHarness.builder().open(SPEC_A, SPEC_B)) {
      for (RawRecord r : records) {
        h.processRecord(r, r.timestamp);
      }
      undecoded = h.extractOutputValues();
      assertThat(deadLetters(h)).isEmpty();
    }
    List<ModelUpdate> decoded;
    try (var h = TrainerHarness.builder().open(SPEC_A, SPEC_B)) {
      for (TrainerInput in : decodedBeforeTheShuffle(records)) {
        h.processElement(in, in.sample().eventTime());
      }
      decoded = h.extractOutputValues();
    }
    // 40 samples of a in batches of 4, 20 of b in batches of 3
    assertThat(undecoded).hasSize(10 + 6);
    assertThat(undecoded).isEqualTo(decoded);
  }

  @Test
  void whatCannotBeTrainedOnLeavesWithItsReasonAndItsSourceCoordinates() throws Exception {
    byte[] junk = "junk".getBytes(StandardCharsets.UTF_8);
    byte[] ofB = encode("b", List.of(0.5, 0.5), 1.0, 7);
    byte[] wrongDimension = encode("a", List.of(0.5, 0.5, 0.5), 1.0, 8);
    List<RawRecord> bad =
        List.of(record(100, "a", junk), record(101, "a", ofB), record(102, "a", wrongDimension));
    try (var h = TrainerHarness.builder().open(SPEC_A, SPEC_B)) {
      for (RawRecord r : bad) {
        h.processRecord(r, r.timestamp);
      }
      for (RawRecord r : stream(6)) { // 4 of a: one batch, nothing of the bad records in it
        h.processRecord(r, r.timestamp);
      }
      List<ModelUpdate> updates = h.extractOutputValues();
      assertThat(updates)
          .filteredOn(u -> u.getModelId().equals("a"))
          .extracting(ModelUpdate::getSamplesSeen)
          .containsExactly(4L);
      List<DeadLetter> letters = deadLetters(h);
      assertThat(letters)
          .extracting(
              DeadLetter::getReason,
              DeadLetter::getModelId,
              DeadLetter::getTopic,
              DeadLetter::getPartition,
              DeadLetter::getOffset)
          .containsExactly(
              tuple(DeadLetterReason.NOT_AVRO, null, "samples", 2, 100L),
              tuple(DeadLetterReason.KEY_MISMATCH, "b", "samples", 2, 101L),
              tuple(DeadLetterReason.WRONG_DIMENSION, "a", "samples", 2, 102L));
      // The bytes as they came, key and value, for the two the decoder refused.
      assertThat(letters.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(junk));
      assertThat(letters.get(1).getOriginalValue()).isEqualTo(ByteBuffer.wrap(ofB));
      assertThat(letters.get(1).getOriginalKey())
          .isEqualTo(ByteBuffer.wrap("a".getBytes(StandardCharsets.UTF_8)));
      assertThat(letters.get(1).getDetail()).contains("record key a", "modelId b");
    }
  }
}
