package io.streamsgd.job.config;

/** Where a published version's spec goes (docs/publication.md#specs-published-once). */
public enum SpecPublication {
  /**
   * Once per spec, on the published-specs topic, before the first version trained under it;
   * versions carry only the spec's fingerprint. Readers of the sixth ModelUpdate schema and later.
   */
  ON_CHANGE,
  /**
   * In every version, and nothing on the published-specs topic: what readers of release 0.1 (the
   * fifth ModelUpdate schema and before) need.
   */
  EVERY_UPDATE
}
