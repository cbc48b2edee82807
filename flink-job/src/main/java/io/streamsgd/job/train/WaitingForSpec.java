package io.streamsgd.job.train;

import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import java.util.List;

/**
 * Samples of a model that has no spec yet (missing-spec policy WAIT): held in the open batch's list
 * state, in arrival order, with a processing-time poll timer that looks for the spec again. When it
 * arrives they are trained in order, their batches opening then (an event-time batch whose end the
 * watermark passed while its samples waited ends by its samples: see {@link BatchBoundaries}); if
 * input ends first they go to dead letters as NO_SPEC.
 */
final class WaitingForSpec {
  private final TrainerState state;
  private final BatchBoundaries boundaries;
  private final long pollMillis;

  WaitingForSpec(TrainerState state, BatchBoundaries boundaries, long pollMillis) {
    this.state = state;
    this.boundaries = boundaries;
    this.pollMillis = pollMillis;
  }

  /** Whether {@code meta}'s samples are held for a spec. */
  static boolean holding(OpenBatch meta) {
    return meta != null && meta.specPollTimer >= 0;
  }

  void hold(Sample sample, ModelCall call) throws Exception {
    OpenBatch meta = state.batches.value();
    if (meta == null) {
      meta = OpenBatch.next(0);
    }
    state.batches.add(sample);
    meta.count++;
    if (meta.specPollTimer < 0) {
      meta.specPollTimer = call.now() + pollMillis;
      call.timers().registerProcessingTimeTimer(meta.specPollTimer);
      call.timers().registerEventTimeTimer(BatchBoundaries.END_OF_INPUT);
    }
    state.batches.update(meta);
  }

  /**
   * At the poll timer or the end of input (or when the spec came before the poll did): trains the
   * held samples in order once {@code spec} is known, dead-letters them if input ended first, else
   * polls again.
   */
  void release(OpenBatch meta, ModelSpec spec, long timestamp, ModelCall call) throws Exception {
    List<Sample> held = state.openSamples();
    if (spec == null && timestamp == BatchBoundaries.END_OF_INPUT) {
      for (Sample s : held) {
        call.reject(
            s,
            new Rejection(
                DeadLetterReason.NO_SPEC,
                "input ended before a spec arrived for model " + call.modelId()));
      }
      state.batches.clearSamples();
      state.batches.clear();
      return;
    }
    if (spec == null) {
      meta.specPollTimer = timestamp + pollMillis;
      call.timers().registerProcessingTimeTimer(meta.specPollTimer);
      state.batches.update(meta);
      return;
    }
    state.batches.clearSamples();
    call.timers().deleteProcessingTimeTimer(meta.specPollTimer);
    LearnerState learner = state.store.value();
    state.batches.update(OpenBatch.next(learner == null ? 0 : learner.nextBatchTarget()));
    for (Sample s : held) {
      boundaries.accept(s, spec, state.batches.value(), call);
    }
    OpenBatch after = state.batches.value();
    if (timestamp == BatchBoundaries.END_OF_INPUT && after != null && after.count > 0) {
      // As if the spec had come first: the batch ends as the end of input ends any open batch.
      boundaries.endOfInput(after, spec, call);
    }
  }
}
