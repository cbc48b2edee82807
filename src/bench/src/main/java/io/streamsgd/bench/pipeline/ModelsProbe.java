package io.streamsgd.bench.pipeline;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.serving.ModelTopicFollower;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The models topic as a downstream service sees it (the serving app's own read_committed follower):
 * per model the latest samplesSeen, their total over time, and each update as it becomes visible.
 */
final class ModelsProbe implements AutoCloseable {
  final Progress progress = new Progress();
  private final Map<String, Long> seen = new HashMap<>();
  private final BiConsumer<ModelUpdate, Long> onUpdate;
  private final ModelTopicFollower follower;
  private volatile long total;
  private volatile long updates;

  /**
   * @param onUpdate called with each update and the nanoTime it was read
   */
  ModelsProbe(Map<String, Object> client, String topic, BiConsumer<ModelUpdate, Long> onUpdate) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    config.put(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
        10); // latency is measured here: answer fetches at once
    this.onUpdate = onUpdate;
    this.follower = new ModelTopicFollower(config, topic, this::read);
  }

  private void read(ModelUpdate u) {
    long now = System.nanoTime();
    Long before = seen.put(u.getModelId(), u.getSamplesSeen());
    long delta = u.getSamplesSeen() - (before == null ? 0 : before);
    if (delta > 0) {
      total += delta;
    } else if (before != null) {
      seen.put(u.getModelId(), before); // a duplicate or older version
    }
    updates++;
    onUpdate.accept(u, now);
    progress.add(now, total);
  }

  long total() {
    return total;
  }

  long updates() {
    return updates;
  }

  /** Waits until the total samples seen reaches {@code expected}; false on timeout. */
  boolean await(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (total < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return total >= expected;
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
    if (follower.undecodableRecords() > 0) {
      throw new IllegalStateException(
          follower.undecodableRecords() + " records on the models topic are not ModelUpdates");
    }
  }
}
