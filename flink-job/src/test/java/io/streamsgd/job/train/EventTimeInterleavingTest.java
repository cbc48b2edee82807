package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Task;
import io.streamsgd.schema.TimeDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.junit.jupiter.api.Test;

/**
 * An event-time model's batches are decided by its samples alone: a batch spans [its first sample's
 * event time, + the latency bound) and ends at the first sample at or past that end, or at the end
 * of input. Whatever the interleaving of the samples with the watermarks of both inputs, the spec's
 * arrival (before, among or after the samples: held samples released by a later sample, a poll or
 * the end of input), processing time and snapshot/restore, the trainer publishes the same versions
 * (sizes, close reasons, next targets, parameters bit for bit) as that rule.
 *
 * <p>Watermarks may lag behind the samples, or run ahead of a model whose samples all lie behind
 * them (its partition resumed after idleness while others went on, or the samples input was idle
 * while the spec input's wall-clock watermark stood far ahead of replayed samples). What no trainer
 * can reproduce is a watermark that overtakes a batch and then sees samples of that same batch: the
 * watermark promised they would not come. The interleavings here never break that promise.
 */
class EventTimeInterleavingTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01, as the integration tests
  private static final long LATENCY = 300;

  /** The spec records' producer wall clock, as their watermark: months past the samples. */
  private static final long SPEC_WALL_CLOCK = T0 + 300L * 24 * 3600 * 1000;

  /** Bursts of samples 10 ms apart, separated by gaps longer than the latency bound. */
  private static final long[] BURST_STARTS = {0, 3_000, 7_000};

  private static final int[] BURST_SIZES = {95, 120, 85};

  private static ModelSpec spec() {
    ModelSpec spec =
        ModelSpecs.of("event", Task.REGRESSION, Loss.SQUARED, 3, 0.05, 0.0, 1000, LATENCY);
    spec.getBatch().setTimeDomain(TimeDomain.EVENT_TIME);
    return spec;
  }

  private static List<Sample> samples() {
    Random rnd = new Random(42);
    List<Sample> out = new ArrayList<>();
    for (int b = 0; b < BURST_STARTS.length; b++) {
      for (int i = 0; i < BURST_SIZES[b]; i++) {
        double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextGaussian()};
        double y = 1.5 * x[0] - 2 * x[1] + 0.5 * x[2] + 0.25 + 0.1 * rnd.nextGaussian();
        out.add(
            new Sample(
                "event",
                FeatureVector.dense(x),
                y,
                1.0,
                T0 + BURST_STARTS[b] + i * 10L,
                new Sample.Origin("samples", 0, out.size())));
      }
    }
    return out;
  }

  private static String fingerprint(
      long version, int size, BatchCloseReason reason, int nextTarget, LinearModel model) {
    return version
        + ":"
        + size
        + ":"
        + reason
        + ":"
        + nextTarget
        + ":"
        + Arrays.toString(model.weights())
        + Arrays.toString(model.intercepts());
  }

  private static List<String> fingerprints(List<ModelUpdate> updates) {
    return updates.stream()
        .map(
            u ->
                fingerprint(
                    u.getVersion(),
                    u.getBatchSize(),
                    u.getCloseReason(),
                    u.getNextBatchTarget(),
                    ModelUpdates.model(u)))
        .toList();
  }

  /** The rule, without Flink: each batch ends at the first sample at or past its end. */
  private static List<String> sampleRule(List<Sample> samples) {
    LearnerState learner = LearnerState.initial(spec());
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= samples.size(); i++) {
      long end = samples.get(from).eventTime() + LATENCY;
      if (i == samples.size() || samples.get(i).eventTime() >= end) {
        MinibatchUpdate.apply(learner, samples.subList(from, i));
        out.add(
            fingerprint(
                learner.version(),
                i - from,
                BatchCloseReason.LATENCY,
                learner.nextBatchTarget(),
                learner.model()));
        from = i;
      }
    }
    return out;
  }

  /** The trainer, its output and dead letters kept across restores. */
  private static final class Trainer implements AutoCloseable {
    TrainerHarness.Harness h;
    final List<ModelUpdate> published = new ArrayList<>();
    final List<String> deadLetters = new ArrayList<>();
    long clock;
    long checkpoints;

    Trainer() throws Exception {
      h = TrainerHarness.builder().build();
      h.open();
      h.setProcessingTime(clock);
    }

    void sample(Sample s) throws Exception {
      h.processElement(s, s.eventTime());
    }

    void samplesWatermark(long w) throws Exception {
      h.processWatermark(new Watermark(w));
    }

    void specsWatermark(long w) throws Exception {
      h.processSpecWatermark(new Watermark(w));
    }

    void samplesIdle(boolean idle) throws Exception {
      h.processWatermarkStatus1(idle ? WatermarkStatus.IDLE : WatermarkStatus.ACTIVE);
    }

    void specsIdle(boolean idle) throws Exception {
      h.processWatermarkStatus2(idle ? WatermarkStatus.IDLE : WatermarkStatus.ACTIVE);
    }

    void advance(long millis) throws Exception {
      clock += millis;
      h.setProcessingTime(clock);
    }

    /** A failover: snapshot, a fresh operator restored from it; watermarks start over. */
    void restore() throws Exception {
      collect();
      OperatorSubtaskState snapshot = h.snapshot(++checkpoints, clock);
      h.close();
      h = TrainerHarness.builder().build();
      h.initializeState(snapshot);
      h.open();
      h.setProcessingTime(clock);
    }

    private void collect() {
      published.addAll(h.extractOutputValues());
      var letters = h.getSideOutput(DeadLetters.TAG);
      if (letters != null) {
        letters.forEach(r -> deadLetters.add(r.getValue().getReason().toString()));
      }
    }

    List<String> finish() {
      collect();
      assertThat(deadLetters).as("dead letters").isEmpty();
      return fingerprints(published);
    }

    @Override
    public void close() throws Exception {
      h.close();
    }
  }

  /** The spec first, the samples in order, then the end of input: no watermark before it. */
  private static List<String> inOrder(List<Sample> samples) throws Exception {
    try (Trainer t = new Trainer()) {
      t.h.processSpec(spec(), 0);
      for (Sample s : samples) {
        t.sample(s);
      }
      t.samplesWatermark(Long.MAX_VALUE);
      t.specsWatermark(Long.MAX_VALUE);
      return t.finish();
    }
  }

  @Test
  void theInOrderRunIsTheSampleRule() throws Exception {
    List<Sample> samples = samples();
    List<String> expected = sampleRule(samples);
    assertThat(expected).hasSize(11);
    assertThat(inOrder(samples)).isEqualTo(expected);
  }

  @Test
  void samplesHeldUntilTheEndCloseTheirLastBatchAsTheirBoundaryWould() throws Exception {
    // The spec reaches the trainer after every sample of the model, and the end of input follows
    // it before the next poll: the held samples are trained at the end of input. The last batch
    // still ends at its event-time bound (LATENCY), as in a run where the spec came first.
    List<Sample> samples = samples();
    try (Trainer t = new Trainer()) {
      for (Sample s : samples) {
        t.sample(s);
        t.samplesWatermark(s.eventTime() - 1001);
      }
      t.samplesWatermark(Long.MAX_VALUE);
      t.h.processSpec(spec(), 0);
      t.specsWatermark(Long.MAX_VALUE);
      assertThat(t.finish()).isEqualTo(sampleRule(samples));
    }
  }

  @Test
  void aModelBehindTheWatermarkIsCutByItsSamplesNotByWhenTheWatermarkMoves() throws Exception {
    // The model's partition resumes after idleness while other partitions went on: each burst
    // arrives behind the samples input's watermark, which moves on while the burst is read.
    List<Sample> samples = samples();
    try (Trainer t = new Trainer()) {
      t.h.processSpec(spec(), 0);
      t.specsWatermark(Long.MAX_VALUE);
      long watermark = Long.MIN_VALUE;
      int i = 0;
      for (int b = 0; b < BURST_STARTS.length; b++) {
        watermark = T0 + BURST_STARTS[b] + 10_000;
        t.samplesWatermark(watermark);
        for (int k = 0; k < BURST_SIZES[b]; k++, i++) {
          t.sample(samples.get(i));
          if (k % 7 == 3) {
            t.samplesWatermark(++watermark);
          }
        }
      }
      t.samplesWatermark(Long.MAX_VALUE);
      assertThat(t.finish()).isEqualTo(sampleRule(samples));
    }
  }

  @Test
  void everyInterleavingPublishesWhatTheSamplesDecide() throws Exception {
    List<Sample> samples = samples();
    List<String> expected = sampleRule(samples);
    for (long seed = 1; seed <= 300; seed++) {
      assertThat(interleaved(samples, seed)).as("interleaving %d", seed).isEqualTo(expected);
    }
  }

  /**
   * One seeded interleaving. The samples come in order; the spec before, among or after them (its
   * input idle until then, or holding the trainer's watermark back); the samples input's watermark
   * trails the samples read (bounded out-of-orderness), or, when the model's partition resumes
   * after a gap of event time, stands ahead of the whole burst (other partitions went on, or the
   * samples input was idle and the spec input's wall-clock watermark ran ahead) and moves on while
   * the burst is read; processing time advances (spec polls); failovers restore a snapshot, after
   * which watermarks start over and trail the samples again.
   */
  private static List<String> interleaved(List<Sample> samples, long seed) throws Exception {
    Random rnd = new Random(seed);
    int n = samples.size();
    int specAt =
        switch (rnd.nextInt(3)) {
          case 0 -> 0;
          case 1 -> rnd.nextInt(n + 1);
          default -> n; // after every sample
        };
    boolean lagging = rnd.nextBoolean();
    double failovers = rnd.nextInt(3) == 0 ? 0.01 : 0;
    boolean specIdle = rnd.nextBoolean();
    long specWatermark = Long.MIN_VALUE;
    try (Trainer t = new Trainer()) {
      if (specIdle) {
        t.specsIdle(true);
      }
      long watermark = Long.MIN_VALUE;
      int i = 0;
      for (int b = 0; b < BURST_STARTS.length; b++) {
        long first = T0 + BURST_STARTS[b];
        long last = first + (BURST_SIZES[b] - 1) * 10L;
        // Between bursts: the watermark may pass the previous burst's open batch; only up to the
        // next burst (on time), or past all of it (the model's partition is behind).
        boolean behind = lagging && rnd.nextBoolean();
        long between =
            behind
                ? last + 1 + rnd.nextInt(5_000)
                : rnd.nextBoolean() ? first - 1 - rnd.nextInt(1_000) : Long.MIN_VALUE;
        if (between > watermark) {
          if (behind && specWatermark == SPEC_WALL_CLOCK && rnd.nextBoolean()) {
            // The samples input idle: the spec input's wall-clock watermark is the trainer's.
            t.samplesIdle(true);
            t.samplesIdle(false);
            watermark = SPEC_WALL_CLOCK;
          } else {
            watermark = between;
            t.samplesWatermark(watermark);
          }
        }
        for (int k = 0; k < BURST_SIZES[b]; k++, i++) {
          if (i == specAt) {
            specWatermark = deliverSpec(t, rnd, specIdle);
            specIdle = false;
          }
          Sample s = samples.get(i);
          t.sample(s);
          if (rnd.nextInt(4) == 0) {
            // Trailing the samples, or moving on ahead of a burst that is behind.
            long w = watermark >= last ? watermark + 1 + rnd.nextInt(500) : s.eventTime() - 1001;
            if (w > watermark && watermark != SPEC_WALL_CLOCK) {
              watermark = w;
              t.samplesWatermark(watermark);
            }
          }
          if (rnd.nextInt(5) == 0) {
            t.advance(1 + rnd.nextInt(150));
          }
          if (rnd.nextDouble() < failovers) {
            t.restore();
            watermark = Long.MIN_VALUE;
            specWatermark = Long.MIN_VALUE;
            lagging = false;
          }
        }
      }
      if (specAt == n) {
        specWatermark = deliverSpec(t, rnd, specIdle);
      }
      if (rnd.nextBoolean()) {
        t.advance(1 + rnd.nextInt(300));
      }
      // The end of input: both sources finish, in either order.
      if (rnd.nextBoolean()) {
        t.samplesWatermark(Long.MAX_VALUE);
        t.specsWatermark(Long.MAX_VALUE);
      } else {
        t.specsWatermark(Long.MAX_VALUE);
        t.samplesWatermark(Long.MAX_VALUE);
      }
      return t.finish();
    }
  }

  /**
   * The spec's record reaches the trainer, then maybe its source's watermark (the producer's wall
   * clock); an idle spec input turns active first. Returns the spec input's watermark.
   */
  private static long deliverSpec(Trainer t, Random rnd, boolean idle) throws Exception {
    if (idle) {
      t.specsIdle(false);
    }
    t.h.processSpec(spec(), 0);
    if (rnd.nextBoolean()) {
      t.specsWatermark(SPEC_WALL_CLOCK);
      return SPEC_WALL_CLOCK;
    }
    return Long.MIN_VALUE;
  }
}
