package io.streamsgd.job.testing;

import io.streamsgd.job.source.RawRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Failure injection for jobs on a MiniCluster: passes raw records through and throws once, after a
 * checkpoint completed and {@code threshold} records passed on a subtask. Slows the stream until
 * that first checkpoint, so the failure always lands mid-stream.
 */
public final class FailOnceAfterCheckpoint
    implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
  private static final long serialVersionUID = 1L;

  /** Whether the failure was thrown (the same JVM runs the MiniCluster). */
  public static final AtomicBoolean FAILED = new AtomicBoolean();

  private final int threshold;
  private transient int seen;
  private transient boolean checkpointed;

  public FailOnceAfterCheckpoint(int threshold) {
    this.threshold = threshold;
  }

  @Override
  public RawRecord map(RawRecord r) throws InterruptedException {
    if (!checkpointed && !FAILED.get()) {
      Thread.sleep(1); // the input must not be read before a first checkpoint completes
    }
    if (++seen > threshold && checkpointed && FAILED.compareAndSet(false, true)) {
      throw new IllegalStateException("injected failure at record " + r);
    }
    return r;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointed = true;
  }
}
