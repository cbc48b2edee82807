package io.streamsgd.serving;

import io.streamsgd.core.publish.ChunkStore;
import io.streamsgd.core.publish.ChunkedVersion;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The serving app's model store: a Kafka Streams key-value store (changelogged) that holds, per
 * model, its latest complete version as the records it came in, and the chunks of newer versions
 * still arriving. No value is larger than a record of the models topic, so its changelog takes what
 * the topic takes, however large a model is; the whole version is put together when it is read
 * ({@link CurrentModels} keeps it). Keys, for a model id {@code m}:
 *
 * <ul>
 *   <li>{@code NUL m}: the model's current version (its id below); these sort before every other
 *       key, so one range lists the models;
 *   <li>{@code m NUL p <version> NUL <index>}: one record of a version, single-object encoded (a
 *       version that came whole is its index 0);
 *   <li>{@code m NUL w <version>}: how many chunks of a version still arriving are held (4 bytes);
 *   <li>{@code m NUL s <fingerprint>}: a published spec its versions name (single-object encoded
 *       {@code PublishedSpec}), kept while the current version or a newer one may need it.
 * </ul>
 *
 * {@code <version>} is the version number, publication time and record count in fixed-width
 * decimal, so a version's records are one range and versions sort by number.
 */
final class StreamsChunkStore implements ChunkStore {
  private final KeyValueStore<String, byte[]> store;

  StreamsChunkStore(KeyValueStore<String, byte[]> store) {
    this.store = store;
  }

  @Override
  public long completeVersion(String modelId) {
    return current(store, modelId).map(ChunkedVersion::version).orElse(0L);
  }

  @Override
  public void complete(ModelUpdate whole, ChunkedVersion from) {
    String modelId = whole.getModelId();
    Optional<ChunkedVersion> previous = current(store, modelId);
    ChunkedVersion now = from;
    if (now == null) {
      now =
          new ChunkedVersion(modelId, whole.getVersion(), whole.getPublishedAt().toEpochMilli(), 1);
      store.put(pieceKey(now, 0), Codecs.MODEL_UPDATE.encode(whole));
      // The same version may be held already, waiting for its spec: it is this record now. (Read
      // first: a delete writes a tombstone to the changelog even for a key that is not there.)
      if (store.get(countKey(now)) != null) {
        store.delete(countKey(now));
      }
    } else {
      store.delete(countKey(now)); // its chunks stay: they are the model now
    }
    // The marker moves first, then the old records go: a reader on another thread that found
    // the old marker and then missed its records reads the marker again and finds the new
    // version's records all in place (the other order let it find neither, for as long as the
    // stream thread took between the two writes).
    store.put(markerKey(modelId), id(now).getBytes(StandardCharsets.UTF_8));
    if (previous.isPresent() && !previous.get().equals(now)) {
      deletePieces(previous.get());
    }
  }

  @Override
  public int put(ChunkedVersion version, int index, ModelUpdate chunk) {
    String key = pieceKey(version, index);
    String countKey = countKey(version);
    byte[] held = store.get(countKey);
    int count = held == null ? 0 : java.nio.ByteBuffer.wrap(held).getInt();
    if (store.get(key) == null) {
      count++;
      store.put(countKey, java.nio.ByteBuffer.allocate(4).putInt(count).array());
    }
    store.put(key, Codecs.MODEL_UPDATE.encode(chunk));
    return count;
  }

  @Override
  public List<ModelUpdate> chunks(ChunkedVersion version) {
    return pieces(store, version);
  }

  @Override
  public List<ChunkedVersion> waiting(String modelId) {
    String from = modelId + "\0w";
    List<ChunkedVersion> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(from, modelId + "\0x")) {
      while (it.hasNext()) {
        out.add(parse(modelId, it.next().key.substring(from.length())));
      }
    }
    return out;
  }

  @Override
  public void remove(ChunkedVersion version) {
    deletePieces(version);
    store.delete(countKey(version));
  }

  @Override
  public void putSpec(PublishedSpec spec) {
    PublishedSpec held = spec(spec.getModelId(), spec.getSpecFingerprint());
    if (held != null && held.getFromVersion() >= spec.getFromVersion()) {
      return;
    }
    store.put(
        specKey(spec.getModelId(), spec.getSpecFingerprint()), Codecs.PUBLISHED_SPEC.encode(spec));
  }

  @Override
  public PublishedSpec spec(String modelId, long fingerprint) {
    return spec(store, modelId, fingerprint);
  }

  @Override
  public void removeSpecsUpTo(String modelId, long version, long keepFingerprint) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(modelId + "\0s", modelId + "\0t")) {
      while (it.hasNext()) {
        var kv = it.next();
        PublishedSpec spec = decodeSpec(kv.value);
        if (spec.getFromVersion() <= version && spec.getSpecFingerprint() != keepFingerprint) {
          old.add(kv.key);
        }
      }
    }
    old.forEach(store::delete);
  }

  private static PublishedSpec spec(
      ReadOnlyKeyValueStore<String, byte[]> store, String modelId, long fingerprint) {
    byte[] value = store.get(specKey(modelId, fingerprint));
    return value == null ? null : decodeSpec(value);
  }

  private static PublishedSpec decodeSpec(byte[] value) {
    try {
      return Codecs.PUBLISHED_SPEC.decode(value);
    } catch (DecodeException e) {
      throw new IllegalStateException("a published spec in the store no longer decodes", e);
    }
  }

  private void deletePieces(ChunkedVersion version) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = piecesOf(store, version)) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(store::delete);
  }

  /** The model's current version, if it has one. */
  static Optional<ChunkedVersion> current(ReadOnlyKeyValueStore<String, byte[]> store, String id) {
    byte[] marker = store.get(markerKey(id));
    return marker == null
        ? Optional.empty()
        : Optional.of(parse(id, new String(marker, StandardCharsets.UTF_8)));
  }

  /** The model's current version, whole. */
  static Optional<ModelUpdate> whole(
      ReadOnlyKeyValueStore<String, byte[]> store, ChunkedVersion version) {
    List<ModelUpdate> pieces = pieces(store, version);
    if (pieces.size() != version.count()) {
      return Optional.empty(); // replaced while it was read: the caller reads the new one
    }
    ModelUpdate whole = version.count() == 1 ? pieces.get(0) : ModelChunks.merge(pieces);
    if (whole.getSpec() == null) {
      // Kept while this version is current; missing only if it was replaced meanwhile.
      PublishedSpec spec = spec(store, whole.getModelId(), whole.getSpecFingerprint());
      if (spec == null) {
        return Optional.empty();
      }
      whole.setSpec(spec.getSpec());
    }
    return Optional.of(whole);
  }

  /** The ids of the models held, in key order. */
  static List<String> modelIds(ReadOnlyKeyValueStore<String, byte[]> store) {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range("\0", "\u0001")) {
      it.forEachRemaining(
          kv -> {
            if (kv.value != null) { // not deleted while this ran
              out.add(kv.key.substring(1));
            }
          });
    }
    return out;
  }

  private static List<ModelUpdate> pieces(
      ReadOnlyKeyValueStore<String, byte[]> store, ChunkedVersion version) {
    List<ModelUpdate> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = piecesOf(store, version)) {
      while (it.hasNext()) {
        byte[] value = it.next().value;
        // An in-memory store's iterator looks values up as it goes: a piece the stream thread
        // deleted meanwhile comes back null. Skipped, the count no longer matches, and the caller
        // reads the version that replaced it.
        if (value != null) {
          out.add(Codecs.MODEL_UPDATE.decode(value));
        }
      }
    } catch (NoSuchElementException deletedMeanwhile) {
      // The same race one step later: the iterator said it had a next piece, which the stream
      // thread deleted before it was read. The pieces read so far fall short; the caller reads
      // again.
    } catch (DecodeException e) {
      throw new IllegalStateException("a model record in the store no longer decodes", e);
    }
    return out;
  }

  private static KeyValueIterator<String, byte[]> piecesOf(
      ReadOnlyKeyValueStore<String, byte[]> store, ChunkedVersion version) {
    String prefix = pieceKey(version, 0);
    prefix = prefix.substring(0, prefix.lastIndexOf('\0'));
    return store.range(prefix + "\0", prefix + "\u0001");
  }

  private static String id(ChunkedVersion v) {
    return String.format(Locale.ROOT, "%019d.%019d.%010d", v.version(), v.publishedAt(), v.count());
  }

  private static ChunkedVersion parse(String modelId, String id) {
    String[] parts = id.split("\\.");
    return new ChunkedVersion(
        modelId, Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
  }

  private static String markerKey(String modelId) {
    return "\0" + modelId;
  }

  private static String countKey(ChunkedVersion v) {
    return v.modelId() + "\0w" + id(v);
  }

  private static String specKey(String modelId, long fingerprint) {
    return modelId + "\0s" + String.format(Locale.ROOT, "%016x", fingerprint);
  }

  private static String pieceKey(ChunkedVersion v, int index) {
    return v.modelId() + "\0p" + id(v) + "\0" + String.format(Locale.ROOT, "%010d", index);
  }
}
