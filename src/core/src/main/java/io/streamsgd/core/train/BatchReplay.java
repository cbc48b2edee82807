package io.streamsgd.core.train;

import io.streamsgd.core.batch.BatchCutter;
import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.batch.GradientStatistics;
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

  /** The gradient statistics of a batch at the state's current parameters. */
  public interface Statistics {
    GradientStatistics of(LearnerState state, List<Sample> batch);
  }

  /**
   * Replays {@code stream} from a new model under {@code spec}; a trailing batch that never closed
   * is applied too (as at the end of input) when {@code applyTrailing}, else left out.
   */
  public static LearnerState run(
      ModelSpec spec, List<Sample> stream, boolean applyTrailing, BatchListener listener) {
    return run(spec, stream, applyTrailing, null, listener);
  }

  /**
   * As {@link #run(ModelSpec, List, boolean, BatchListener)}, with the adaptive tests and the next
   * batch's target reading {@code statistics} (for experiments that compare statistics: {@link
   * MinibatchUpdate#exactStatistics}, say); null for the trainer's own, whose step sets the target.
   */
  public static LearnerState run(
      ModelSpec spec,
      List<Sample> stream,
      boolean applyTrailing,
      Statistics statistics,
      BatchListener listener) {
    Statistics tests = statistics != null ? statistics : MinibatchUpdate::statistics;
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
              () -> tests.of(state, stream.subList(start, start + count)));
      check = decision.nextCheck();
      BatchCloseReason reason = decision.close();
      if (reason == null && applyTrailing && i == stream.size() - 1) {
        reason = BatchCloseReason.END_OF_INPUT;
      }
      if (reason != null) {
        List<Sample> batch = stream.subList(from, i + 1);
        GradientStatistics before = statistics == null ? null : statistics.of(state, batch);
        BatchResult result = MinibatchUpdate.apply(state, batch);
        listener.applied(state, count, reason, result);
        from = i + 1;
        target =
            statistics == null
                ? state.nextBatchTarget()
                : Math.min(policy.nextTarget(target, before, state.version()), policy.maxSize());
        check = target;
      }
    }
    return state;
  }
}
