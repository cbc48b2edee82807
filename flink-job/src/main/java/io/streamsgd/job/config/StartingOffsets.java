package io.streamsgd.job.config;

/** Where a job started without a checkpoint or savepoint begins reading the samples topic. */
public enum StartingOffsets {
  /** From the oldest retained sample: a new job learns from all the history the topic keeps. */
  EARLIEST,
  /** From new samples only. */
  LATEST,
  /** From the consumer group's committed offsets, else the earliest. */
  COMMITTED
}
