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
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * An event-time model's batches are decided by its samples alone: a batch spans [its first sample's
 * event time, + the latency bound) and ends at the first sample at or past that end, or at the end
 * of input. However its samples and its spec meet, the trainer publishes the same versions (sizes,
 * close reasons, next targets, parameters bit for bit) as that rule.
 */
class EventTimeInterleavingTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01, as the integration tests
  private static final long LATENCY = 300;

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

  /** The trainer in the harness, what it published and what it dead-lettered. */
  private static final class Trainer implements AutoCloseable {
    KeyedBroadcastOperatorTestHarness<String, Sample, ModelSpec, ModelUpdate> h;
    final List<ModelUpdate> published = new ArrayList<>();
    final List<String> deadLetters = new ArrayList<>();
    long clock;

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
      h.processBroadcastWatermark(new Watermark(w));
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
      t.h.processBroadcastElement(spec(), 0);
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
      t.h.processBroadcastElement(spec(), 0);
      t.specsWatermark(Long.MAX_VALUE);
      assertThat(t.finish()).isEqualTo(sampleRule(samples));
    }
  }
}
