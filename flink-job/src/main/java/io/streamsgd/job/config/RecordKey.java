package io.streamsgd.job.config;

/** What the Kafka key of a sample record means to the job. */
public enum RecordKey {
  /**
   * The record's model id, as the producers are asked to key it: a record keyed so crosses the
   * shuffle as its bytes and is decoded once, by the trainer that owns the model. A record whose
   * key is missing or not a model id is decoded before the shuffle; one whose sample names another
   * model is a dead letter (KEY_MISMATCH).
   */
  MODEL_ID,
  /**
   * Nothing the job relies on (producers that key by something else): every record is decoded
   * before the shuffle and routed by the model id it holds.
   */
  IGNORED
}
