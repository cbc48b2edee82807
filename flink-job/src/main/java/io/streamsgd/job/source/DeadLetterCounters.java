package io.streamsgd.job.source;

import io.streamsgd.schema.DeadLetterReason;
import java.util.EnumMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts dead letters per reason as Flink metrics ({@code streamsgd.reason.<REASON>.deadLetters}).
 * Cardinality is bounded by the reason enum.
 */
public final class DeadLetterCounters {
  private final EnumMap<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
  private final MetricGroup group;

  public DeadLetterCounters(MetricGroup operatorGroup) {
    this.group = operatorGroup.addGroup("streamsgd");
  }

  public void count(DeadLetterReason reason) {
    counters
        .computeIfAbsent(reason, r -> group.addGroup("reason", r.name()).counter("deadLetters"))
        .inc();
  }
}
