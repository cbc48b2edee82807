package io.streamsgd.job.config;

import java.util.Locale;

/** Compression of the records the job writes (Kafka's compression.type). */
public enum SinkCompression {
  /** Least CPU per update: dense parameters are doubles that compress little. */
  NONE,
  GZIP,
  SNAPPY,
  /** Cheap, and sparse or mostly-zero parameter arrays shrink many times. */
  LZ4,
  ZSTD;

  /** The producer setting. */
  public String kafkaName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
