package io.streamsgd.job.config;

/** How model updates and dead letters are written to Kafka. */
public enum SinkGuarantee {
  /**
   * Kafka transactions committed with Flink checkpoints: consumers reading read_committed see every
   * update once.
   */
  EXACTLY_ONCE,
  /**
   * Flushed on checkpoints, visible at once; after a failure some updates may be written twice.
   * Safe for models: each update is a whole versioned snapshot and consumers keep the highest
   * version.
   */
  AT_LEAST_ONCE
}
