package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelChunk;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
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
 *
 * <p>A version that names its spec by fingerprint (the trainer publishes each spec once, on the
 * published-specs topic, {@link #offerSpec}) is handed on with that spec set, once the spec has
 * arrived: the two topics are read side by side, so either may come first, and a version whose
 * records are all there waits for its spec like a chunk waits for the rest. Versions that carry
 * their spec (older writers, or a trainer set to) need nothing else.
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
    ChunkedVersion version;
    int index = 0;
    if (chunk == null) {
      ModelSpec spec = specOf(update);
      if (spec != null) {
        return Optional.of(complete(update, null, spec));
      }
      version = ChunkedVersion.whole(update); // waits for its spec
    } else {
      check(update, chunk);
      version = ChunkedVersion.of(update);
      index = chunk.getIndex();
    }
    if (store.put(version, index, update) < version.count()) {
      dropOldestWaiting(modelId);
      return Optional.empty();
    }
    return completeHeld(version);
  }

  /**
   * One record of the published-specs topic: returns the newest held version it completes (one that
   * had all its records and waited for this spec), if that is newer than every version handed on.
   */
  public Optional<ModelUpdate> offerSpec(PublishedSpec spec) {
    store.putSpec(spec);
    List<ChunkedVersion> waiting = store.waiting(spec.getModelId());
    for (int i = waiting.size() - 1; i >= 0; i--) {
      ChunkedVersion version = waiting.get(i);
      List<ModelUpdate> held = store.chunks(version);
      if (held.size() == version.count()
          && held.get(0).getSpecFingerprint() == spec.getSpecFingerprint()) {
        return completeHeld(version);
      }
    }
    return Optional.empty();
  }

  /**
   * A published-specs record's value.
   *
   * @throws DecodeException when the value is not a {@code PublishedSpec}
   */
  public Optional<ModelUpdate> offerSpec(byte[] value) throws DecodeException {
    return value == null ? Optional.empty() : offerSpec(Codecs.PUBLISHED_SPEC.decode(value));
  }

  /** The last version handed on for {@code modelId}, or 0. */
  public long completeVersion(String modelId) {
    return store.completeVersion(modelId);
  }

  /** Puts a version whose records are all held together; hands it on once its spec is known. */
  private Optional<ModelUpdate> completeHeld(ChunkedVersion version) {
    List<ModelUpdate> records = store.chunks(version);
    ModelUpdate whole;
    if (records.size() == 1 && records.get(0).getChunk() == null) {
      whole = records.get(0);
    } else {
      try {
        whole = ModelChunks.merge(records);
      } catch (IllegalArgumentException e) {
        store.remove(version);
        throw e;
      }
    }
    ModelSpec spec = specOf(whole);
    if (spec == null) {
      dropOldestWaiting(version.modelId());
      return Optional.empty(); // all there, waiting for its spec
    }
    return Optional.of(complete(whole, version, spec));
  }

  /** The spec {@code update} was trained under: its own, or the held published one it names. */
  private ModelSpec specOf(ModelUpdate update) {
    if (update.getSpec() != null) {
      return update.getSpec();
    }
    PublishedSpec published = store.spec(update.getModelId(), update.getSpecFingerprint());
    return published == null ? null : published.getSpec();
  }

  private ModelUpdate complete(ModelUpdate whole, ChunkedVersion from, ModelSpec spec) {
    String modelId = whole.getModelId();
    boolean carried = whole.getSpec() != null;
    store.complete(whole, from);
    for (ChunkedVersion waiting : store.waiting(modelId)) {
      if (waiting.version() <= whole.getVersion()) {
        store.remove(waiting);
      }
    }
    // Specs first used up to this version are no longer needed, but its own (a store that keeps
    // the version as it came reads its spec again): a newer version names another only after a
    // later publication of it.
    store.removeSpecsUpTo(modelId, whole.getVersion(), whole.getSpecFingerprint());
    if (!carried) {
      whole.setSpec(spec);
    }
    return whole;
  }

  private void dropOldestWaiting(String modelId) {
    List<ChunkedVersion> waiting = store.waiting(modelId);
    for (int i = 0; i < waiting.size() - MAX_WAITING_VERSIONS; i++) {
      store.remove(waiting.get(i));
    }
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
