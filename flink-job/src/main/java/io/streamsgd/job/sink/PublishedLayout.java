package io.streamsgd.job.sink;

/**
 * What the topics hold of one model, as far as its next version needs to know: how many chunk keys
 * its latest version used (0: it was one record), and which spec its versions name on the
 * published-specs topic. The {@link ModelChunker}'s keyed state, checkpointed with the trainer's,
 * so a replay writes the same records.
 */
public final class PublishedLayout {
  /** Chunk keys of the latest version (0 or 1: one record). */
  public int chunks;

  /** Whether {@link #specFingerprint} names a spec on the published-specs topic. */
  public boolean specPublished;

  /** The fingerprint of the model's latest published spec, when {@link #specPublished}. */
  public long specFingerprint;

  public PublishedLayout() {}

  public PublishedLayout(int chunks, boolean specPublished, long specFingerprint) {
    this.chunks = chunks;
    this.specPublished = specPublished;
    this.specFingerprint = specFingerprint;
  }

  /** Whether versions trained under {@code fingerprint} can name it without writing it again. */
  boolean published(long fingerprint) {
    return specPublished && specFingerprint == fingerprint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishedLayout p
        && p.chunks == chunks
        && p.specPublished == specPublished
        && p.specFingerprint == specFingerprint;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(specFingerprint) * 31 + chunks * 2 + (specPublished ? 1 : 0);
  }
}
