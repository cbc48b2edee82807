package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import java.util.List;

/**
 * Where a {@link VersionAssembler} keeps, per model, the last version it completed, the records of
 * newer versions still waiting (for the rest of their chunks, or for their spec), and the published
 * specs its versions name: a map in a plain reader, a fault-tolerant store in a Kafka Streams task.
 */
public interface ChunkStore {

  /** The highest version completed for {@code modelId}, or 0. */
  long completeVersion(String modelId);

  /**
   * Records {@code whole} as its model's latest complete version. {@code from} is the version whose
   * held records it was put together from, or null when it came as one record; a store that serves
   * the model later may keep those records as its copy of it (then {@link #waiting} no longer lists
   * that version), others drop them with the versions left behind.
   */
  void complete(ModelUpdate whole, ChunkedVersion from);

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

  /**
   * Holds a published spec. One with the same model and fingerprint is one spec: the record with
   * the later {@code fromVersion} stays (a spec published again, after a change back, is needed
   * from its later version on).
   */
  void putSpec(PublishedSpec spec);

  /** The held spec of {@code modelId} with {@code fingerprint}, or null. */
  PublishedSpec spec(String modelId, long fingerprint);

  /**
   * Drops the held specs of {@code modelId} first used at or before {@code version}, except the one
   * with {@code keepFingerprint}: once that version is complete, no newer version names them
   * without their being published again, later.
   */
  void removeSpecsUpTo(String modelId, long version, long keepFingerprint);
}
