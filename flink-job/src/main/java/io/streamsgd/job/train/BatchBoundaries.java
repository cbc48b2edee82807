package io.streamsgd.job.train;

import io.streamsgd.core.batch.BatchCutter;
import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.train.BatchSums;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.TimeDomain;
import java.util.List;
import org.apache.flink.metrics.Counter;

/**
 * Where a model's batches begin and end. A sample joins the open batch; the batch closes at its
 * policy's size or test ({@link BatchCutter}, the rule every replay shares), at its latency bound
 * (a processing-time timer, or in event time the batch's end boundary: a sample or a watermark past
 * it), or at the end of input (an event-time timer at the end of time). Count and event-time
 * boundaries depend only on the samples, so they replay identically after a failure.
 *
 * <p>In event time a batch spans [its first sample's event time, + the latency bound) and ends at
 * the first sample at or past that end. A watermark past the end ends it sooner, for a model whose
 * next sample has not come: the watermark promises that no sample before it is still to come, so
 * that next sample would end the batch there too. Only a watermark that passes the end after the
 * batch opened makes that promise about the batch. One already past the end when the batch opens (a
 * sample behind the watermark: samples held for their spec and trained after the watermark moved
 * on, a partition resumed behind the others, an idle samples input under the spec input's
 * wall-clock watermark) says nothing about it, and a timer would end the batch at whichever sample
 * came last before the watermark next moved: a matter of timing. Such a batch gets no timer; its
 * samples end it, or the end of input does. The end of input ends every event-time batch as its
 * bound does (LATENCY), whether its samples came before it or were held for their spec until then.
 * So a model whose samples trail the watermark and then stop keeps its last batch open until its
 * next sample or the end of input. A watermark that overtakes an open batch and is followed by
 * samples of that batch broke its promise: no rule replays that.
 */
final class BatchBoundaries {
  /** The event-time timer that fires when a bounded input ends. */
  static final long END_OF_INPUT = Long.MAX_VALUE;

  private final TrainerState state;
  private final SpecLookup specs;
  private final BatchCloser closer;
  private final Counter testsEvaluated;

  BatchBoundaries(
      TrainerState state, SpecLookup specs, BatchCloser closer, Counter testsEvaluated) {
    this.state = state;
    this.specs = specs;
    this.closer = closer;
    this.testsEvaluated = testsEvaluated;
  }

  /**
   * A sample of a model with a spec: fit it, add it to the open batch ({@code meta}, already read:
   * on RocksDB every read is a lookup), close the batch when due.
   */
  void accept(Sample sample, ModelSpec spec, OpenBatch meta, ModelCall call) throws Exception {
    SampleValidator.Fitted fitted = SampleValidator.fit(sample, spec);
    if (fitted.rejection() != null) {
      call.reject(sample, fitted.rejection());
      return;
    }
    sample = fitted.sample();
    CompiledSpec compiled = specs.compiled(spec);
    BatchPolicy policy = compiled.batchPolicy();
    if (meta == null) {
      meta = OpenBatch.next(policy.firstTarget());
    }
    boolean eventTimeBound =
        policy.timeDomain() == TimeDomain.EVENT_TIME && policy.maxLatencyMillis() > 0;
    if (meta.count > 0 && eventTimeBound && sample.eventTime() >= meta.eventBoundary) {
      // The batch spans [first event time, boundary): a sample past it closes it and opens the
      // next.
      meta = close(meta, spec, BatchCloseReason.LATENCY, call);
    }
    LearnerState model = null;
    if (meta.sums != null) {
      model = closer.scoringModel();
      if (!closer.trainsUnder(model, spec, compiled, call.modelId())) {
        // Its samples were scored under the spec the model has: the batch closes under it, and
        // the next one adopts the new spec.
        meta = close(meta, spec, BatchCloseReason.SPEC_CHANGED, call);
      }
    }
    if (meta.count == 0) {
      model = closer.modelForSums(spec, compiled, call);
      meta.sums = model == null ? null : BatchSums.open(model);
    }
    if (meta.sums != null) {
      meta.sums.add(model, sample);
    } else {
      state.batches.add(sample);
    }
    meta.count++;
    if (meta.count == 1) {
      open(meta, sample, policy, call);
    }
    BatchCloseReason reason = closeReason(meta, compiled, spec, model, call);
    if (reason != null) {
      close(meta, spec, reason, call);
    } else {
      state.batches.update(meta);
    }
  }

  /** A timer of the open batch fired: its latency bound or the end of input. */
  void onTimer(long timestamp, boolean eventTime, OpenBatch meta, ModelSpec spec, ModelCall call)
      throws Exception {
    if (eventTime) {
      if (timestamp == END_OF_INPUT) {
        endOfInput(meta, spec, call);
      } else if (timestamp == meta.eventBoundary) {
        close(meta, spec, BatchCloseReason.LATENCY, call);
      }
    } else if (timestamp == meta.latencyTimer) {
      close(meta, spec, BatchCloseReason.LATENCY, call);
    }
  }

  /**
   * The input ended with {@code meta} open: an event-time batch ends at its bound, which the end of
   * input passed (LATENCY, as its timer does when it has one and fires first); any other batch as
   * END_OF_INPUT.
   */
  void endOfInput(OpenBatch meta, ModelSpec spec, ModelCall call) throws Exception {
    close(
        meta,
        spec,
        meta.eventBoundary >= 0 ? BatchCloseReason.LATENCY : BatchCloseReason.END_OF_INPUT,
        call);
  }

  /** Closes the open batch and cancels its timers; returns the next, empty batch. */
  OpenBatch close(OpenBatch meta, ModelSpec spec, BatchCloseReason reason, ModelCall call)
      throws Exception {
    if (meta.latencyTimer >= 0) {
      call.timers().deleteProcessingTimeTimer(meta.latencyTimer);
    }
    if (meta.eventBoundary >= 0) {
      call.timers().deleteEventTimeTimer(meta.eventBoundary);
    }
    OpenBatch next;
    if (meta.sums != null) {
      next = closer.closeSums(meta, reason, call);
    } else {
      var samples = state.openSamples();
      state.batches.clearSamples();
      next = closer.close(samples, meta, spec, reason, call);
    }
    // The end-of-input timer outlives the batch: it is never deleted, and fires only once the
    // input has ended, when no sample is left to open a batch.
    next.endOfInputTimerSet = meta.endOfInputTimerSet;
    return next;
  }

  private static void open(OpenBatch meta, Sample first, BatchPolicy policy, ModelCall call) {
    long now = call.now();
    meta.openedAt = now;
    meta.target = meta.target > 0 ? Math.min(meta.target, policy.maxSize()) : policy.firstTarget();
    meta.nextCheck = meta.target;
    if (!meta.endOfInputTimerSet) {
      call.timers().registerEventTimeTimer(END_OF_INPUT);
      meta.endOfInputTimerSet = true;
    }
    long latency = policy.maxLatencyMillis();
    if (latency > 0 && policy.timeDomain() == TimeDomain.EVENT_TIME) {
      meta.eventBoundary = first.eventTime() + latency;
      // A watermark already at or past the end says nothing about this batch's samples (see the
      // class comment): its samples end it, or the end of input does.
      if (meta.eventBoundary > call.timers().currentWatermark()) {
        call.timers().registerEventTimeTimer(meta.eventBoundary);
      }
    } else if (latency > 0) {
      meta.latencyTimer = now + latency;
      call.timers().registerProcessingTimeTimer(meta.latencyTimer);
    }
  }

  /**
   * Whether the batch closes now (see {@link BatchCutter}); adaptive tests take a batch of sums'
   * statistics from its sums, and read the model state once each for a batch of samples.
   */
  private BatchCloseReason closeReason(
      OpenBatch meta, CompiledSpec compiled, ModelSpec spec, LearnerState model, ModelCall call) {
    BatchCutter.Decision decision =
        BatchCutter.afterSample(
            compiled.batchPolicy(),
            meta.count,
            meta.target,
            meta.nextCheck,
            () -> {
              testsEvaluated.inc();
              if (meta.sums != null) {
                return meta.sums.statistics(model);
              }
              try {
                LearnerState learner = state.store.value();
                List<Sample> open = state.openSamples();
                if (learner == null) {
                  return MinibatchUpdate.statistics(
                      LearnerState.initial(SpecLookup.forModel(spec, call.modelId()), compiled),
                      open);
                }
                state.store.loadFor(learner, open);
                try {
                  return MinibatchUpdate.statistics(learner, open);
                } finally {
                  state.store.release(learner);
                }
              } catch (Exception e) {
                throw new IllegalStateException(
                    "cannot read the state of model " + call.modelId(), e);
              }
            });
    meta.nextCheck = decision.nextCheck();
    return decision.close();
  }
}
