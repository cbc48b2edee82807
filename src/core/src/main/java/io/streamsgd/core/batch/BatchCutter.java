package io.streamsgd.core.batch;

import io.streamsgd.schema.BatchCloseReason;
import java.util.function.Supplier;

/**
 * Where a model's batches end, decided sample by sample from counts and tests alone (the latency
 * bound is the caller's, as it needs a clock): at the policy's maximum size; for adaptive policies
 * when the batch passes the test, evaluated from the target size on and again at the size a failed
 * test asks for; otherwise at the target size. The trainer and every replay of its decisions use
 * this one rule.
 */
public final class BatchCutter {
  private BatchCutter() {}

  /**
   * The decision after a sample joined.
   *
   * @param close why the batch closes now, or null to keep it open
   * @param nextCheck the count at which an adaptive test is evaluated next
   */
  public record Decision(BatchCloseReason close, int nextCheck) {}

  /**
   * @param count samples in the batch, the new one included
   * @param nextCheck the current test point (the target size when the batch opened)
   * @param statistics gradient statistics of the open batch, computed only when a test is due
   */
  public static Decision afterSample(
      BatchPolicy policy,
      int count,
      int target,
      int nextCheck,
      Supplier<GradientStatistics> statistics) {
    if (count >= policy.maxSize()) {
      return new Decision(BatchCloseReason.SIZE, nextCheck);
    }
    if (!policy.adaptive()) {
      return new Decision(count >= target ? BatchCloseReason.SIZE : null, nextCheck);
    }
    if (count < nextCheck) {
      return new Decision(null, nextCheck);
    }
    BatchPolicy.TestOutcome outcome = policy.test(statistics.get());
    if (outcome.passed()) {
      return new Decision(BatchCloseReason.TEST_PASSED, nextCheck);
    }
    return new Decision(
        null, BatchPolicy.clamp(outcome.requiredSize(), count + 1, policy.maxSize()));
  }
}
