package io.streamsgd.core.publish;

/**
 * One record of the models topic as the trainer writes it: a whole version, a chunk of one, or a
 * tombstone ({@code value} null) deleting a chunk key a model no longer uses. Every record of a
 * model goes to the partition of its model id, so one model's records stay in order and beside its
 * prediction requests.
 *
 * @param modelId the model (its partition)
 * @param key the record key: the model id, or a chunk key ({@link ChunkKeys})
 * @param value the single-object-encoded {@code ModelUpdate}, or null for a tombstone
 * @param timestamp the record timestamp: the version's publication time
 */
public record ModelRecord(String modelId, String key, byte[] value, long timestamp) {

  public boolean tombstone() {
    return value == null;
  }
}
