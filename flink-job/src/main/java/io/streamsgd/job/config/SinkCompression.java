package io.streamsgd.job.config;

import java.util.Locale;

/** Compression of the records the job writes (Kafka's compression.type). */
public enum SinkCompression {
  /** Least CPU per update: dense parameters are doubles that compress little. */
  NONE,
  GZIP,
  SNAPPY,
  /** Cheap; about a fifth off a hashed model's updates, little off a dense one's. */
  LZ4,
  ZSTD;

  /** The producer setting. */
  public String kafkaName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
