package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelUpdate;
import java.util.List;

/**
 * Where a {@link VersionAssembler} keeps, per model, the last version it completed and the chunks
 * of newer versions still waiting for the rest: a map in a plain reader, a fault-tolerant store in
 * a Kafka Streams task.
 */
public interface ChunkStore {

  /** The highest version completed for {@code modelId}, or 0. */
  long completeVersion(String modelId);

  void setCompleteVersion(String modelId, long version);

  /**
   * Holds {@code chunk} (a duplicate replaces its equal) and says how many distinct chunks of its
   * version are held now.
   */
  int put(ChunkedVersion version, int index, ModelUpdate chunk);

  /** The held chunks of {@code version}, in index order. */
  List<ModelUpdate> chunks(ChunkedVersion version);

  /** Versions of {@code modelId} with chunks held, oldest first. */
  List<ChunkedVersion> waiting(String modelId);

  void remove(ChunkedVersion version);
}
