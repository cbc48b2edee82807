package io.streamsgd.core.publish;

/**
 * One record the trainer writes for a model: on the models topic a whole version, a chunk of one,
 * or a tombstone ({@code value} null) deleting a chunk key a model no longer uses; on the
 * published-specs topic ({@code spec} true) the {@code PublishedSpec} its next versions name. Every
 * record of a model goes to the partition of its model id, so one model's records stay in order and
 * beside its prediction requests.
 *
 * @param modelId the model (its partition)
 * @param key the record key: the model id, or a chunk key ({@link ChunkKeys})
 * @param value the single-object-encoded {@code ModelUpdate} (or {@code PublishedSpec}), or null
 *     for a tombstone
 * @param timestamp the record timestamp: the version's publication time
 * @param spec true for a record of the published-specs topic
 */
public record ModelRecord(String modelId, String key, byte[] value, long timestamp, boolean spec) {

  /** A record of the models topic. */
  public ModelRecord(String modelId, String key, byte[] value, long timestamp) {
    this(modelId, key, value, timestamp, false);
  }

  /** A record of the published-specs topic, keyed by the model id. */
  public static ModelRecord publishedSpec(String modelId, byte[] value, long timestamp) {
    return new ModelRecord(modelId, modelId, value, timestamp, true);
  }

  public boolean tombstone() {
    return value == null;
  }
}
