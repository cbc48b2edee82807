package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelChunk;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.util.List;
import java.util.Optional;

/**
 * A reader's side of chunked publication: takes the models topic's records in arrival order
 * (duplicates, late chunks of older versions, interleaved versions and tombstones included) and
 * hands on a version only once all of it is there, whole (chunk null), and only if it is newer than
 * the last one handed on. So a reader never scores with a mix of two versions and never moves a
 * model backwards. It holds the chunks of versions newer than the last complete one, at most {@link
 * #MAX_WAITING_VERSIONS} of them per model (the newest), and drops older ones: in order delivery
 * has one version in flight, so the bound only bites on a topic that interleaves many; a version
 * dropped by it is skipped, never mixed.
 */
public final class VersionAssembler {
  public static final int MAX_WAITING_VERSIONS = 4;

  private final ChunkStore store;

  public VersionAssembler(ChunkStore store) {
    this.store = store;
  }

  /** An assembler holding its chunks on the heap. */
  public static VersionAssembler inMemory() {
    return new VersionAssembler(new InMemoryChunkStore());
  }

  /**
   * One record's value: a tombstone (null) is only the deletion of a chunk key a newer version no
   * longer uses, so nothing happens.
   *
   * @throws DecodeException when the value is not a {@code ModelUpdate}
   */
  public Optional<ModelUpdate> offer(byte[] value) throws DecodeException {
    return value == null ? Optional.empty() : offer(Codecs.MODEL_UPDATE.decode(value));
  }

  /**
   * One decoded record: returns the version it completes (a whole record is complete by itself)
   * when that is newer than every version handed on so far for its model; else empty.
   *
   * @throws IllegalArgumentException for a chunk that cannot belong to any version (index out of
   *     range, a count below 2, parameters not sparse), or a version whose chunks do not fit
   *     together (it is dropped)
   */
  public Optional<ModelUpdate> offer(ModelUpdate update) {
    String modelId = update.getModelId();
    if (update.getVersion() <= store.completeVersion(modelId)) {
      return Optional.empty();
    }
    ModelChunk chunk = update.getChunk();
    if (chunk == null) {
      return Optional.of(complete(update, null));
    }
    check(update, chunk);
    ChunkedVersion version = ChunkedVersion.of(update);
    if (store.put(version, chunk.getIndex(), update) < chunk.getCount()) {
      List<ChunkedVersion> waiting = store.waiting(modelId);
      for (int i = 0; i < waiting.size() - MAX_WAITING_VERSIONS; i++) {
        store.remove(waiting.get(i));
      }
      return Optional.empty();
    }
    List<ModelUpdate> chunks = store.chunks(version);
    ModelUpdate whole;
    try {
      whole = ModelChunks.merge(chunks);
    } catch (IllegalArgumentException e) {
      store.remove(version);
      throw e;
    }
    return Optional.of(complete(whole, version));
  }

  /** The last version handed on for {@code modelId}, or 0. */
  public long completeVersion(String modelId) {
    return store.completeVersion(modelId);
  }

  private ModelUpdate complete(ModelUpdate whole, ChunkedVersion from) {
    String modelId = whole.getModelId();
    store.complete(whole, from);
    for (ChunkedVersion waiting : store.waiting(modelId)) {
      if (waiting.version() <= whole.getVersion()) {
        store.remove(waiting);
      }
    }
    return whole;
  }

  private static void check(ModelUpdate update, ModelChunk chunk) {
    if (chunk.getCount() < 2
        || chunk.getIndex() < 0
        || chunk.getIndex() >= chunk.getCount()
        || update.getParameters().getColumns() == null) {
      throw new IllegalArgumentException(
          "not a chunk of a version: "
              + chunk
              + " of version "
              + update.getVersion()
              + " of "
              + update.getModelId());
    }
  }
}
