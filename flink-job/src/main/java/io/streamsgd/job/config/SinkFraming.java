package io.streamsgd.job.config;

/** How the records the job writes are framed around their Avro body. */
public enum SinkFraming {
  /** Avro single-object encoding: readable with no registry (C3 01, schema fingerprint, body). */
  SINGLE_OBJECT,
  /**
   * The Confluent wire format (00, schema id, body), each topic's schema registered under {@code
   * <topic>-value}: for consumers that read through a schema registry.
   */
  CONFLUENT
}
