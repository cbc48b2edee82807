package io.streamsgd.serving;

/**
 * How the serving app frames the predictions it writes. Models and requests are read in either
 * framing, whatever this says.
 */
public enum PredictionFraming {
  /** Avro single-object encoding ({@code C3 01}, schema fingerprint, body): needs no registry. */
  SINGLE_OBJECT,
  /**
   * The Confluent wire format (byte 0, the schema's registry id, body), for consumers that read
   * through a schema registry. The {@code Prediction} schema is registered under {@code
   * <predictionsTopic>-value} when the app starts; needs {@code schema.registry.url} among the
   * Kafka properties.
   */
  CONFLUENT
}
