package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelUpdate;

/**
 * Which version a chunk belongs to. Chunks join only with chunks of the same version number,
 * publication time and chunk count: an at-least-once trainer that published a version twice (once
 * before a failure, once in the replay) stamps the two with different times, so pieces of the two
 * never make one model. Ordered by version first.
 */
public record ChunkedVersion(String modelId, long version, long publishedAt, int count)
    implements Comparable<ChunkedVersion> {

  public static ChunkedVersion of(ModelUpdate chunk) {
    return new ChunkedVersion(
        chunk.getModelId(),
        chunk.getVersion(),
        chunk.getPublishedAt().toEpochMilli(),
        chunk.getChunk().getCount());
  }

  /** A version that came as one record and is held until its spec arrives. */
  public static ChunkedVersion whole(ModelUpdate update) {
    return new ChunkedVersion(
        update.getModelId(), update.getVersion(), update.getPublishedAt().toEpochMilli(), 1);
  }

  @Override
  public int compareTo(ChunkedVersion o) {
    int c = modelId.compareTo(o.modelId);
    if (c == 0) {
      c = Long.compare(version, o.version);
    }
    if (c == 0) {
      c = Long.compare(publishedAt, o.publishedAt);
    }
    return c != 0 ? c : Integer.compare(count, o.count);
  }
}
