package io.streamsgd.core.train;

import io.streamsgd.core.batch.BatchCutter;
import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import java.util.List;

/**
 * One model's stream replayed single-threaded through the trainer's batching rule ({@link
 * BatchCutter}, count- and test-based boundaries) and minibatch step: what a failure-free trainer
 * publishes for the same samples in the same order. Tests compare the job against it; experiments
 * run policies with it.
 */
public final class BatchReplay {
  private BatchReplay() {}

  /** Told of every applied batch, after the step. */
  public interface BatchListener {
    void applied(LearnerState state, int size, BatchCloseReason reason, BatchResult result);
  }

  /**
   * Replays {@code stream} from a new model under {@code spec}; a trailing batch that never closed
   * is applied too (as at the end of input) when {@code applyTrailing}, else left out.
   */
  public static LearnerState run(
      ModelSpec spec, List<Sample> stream, boolean applyTrailing, BatchListener listener) {
    LearnerState state = LearnerState.initial(spec);
    BatchPolicy policy = state.compiled().batchPolicy();
    int from = 0;
    int target = state.nextBatchTarget();
    int check = target;
    for (int i = 0; i < stream.size(); i++) {
      int start = from;
      int count = i + 1 - from;
      BatchCutter.Decision decision =
          BatchCutter.afterSample(
              policy,
              count,
              target,
              check,
              () -> MinibatchUpdate.statistics(state, stream.subList(start, start + count)));
      check = decision.nextCheck();
      BatchCloseReason reason = decision.close();
      if (reason == null && applyTrailing && i == stream.size() - 1) {
        reason = BatchCloseReason.END_OF_INPUT;
      }
      if (reason != null) {
        BatchResult result = MinibatchUpdate.apply(state, stream.subList(from, i + 1));
        listener.applied(state, count, reason, result);
        from = i + 1;
        target = state.nextBatchTarget();
        check = target;
      }
    }
    return state;
  }
}
