package io.streamsgd.serving;

import io.streamsgd.core.publish.ChunkStore;
import io.streamsgd.core.publish.ChunkedVersion;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A {@link ChunkStore} in a Kafka Streams key-value store (changelogged, so chunks that arrived
 * before a restart or rebalance are still there after it). Per model id {@code m}, keys sort so
 * that one range scan finds what is needed:
 *
 * <ul>
 *   <li>{@code m NUL c}: the last complete version (8 bytes);
 *   <li>{@code m NUL w <version>}: how many chunks of a waiting version are held (4 bytes);
 *   <li>{@code m NUL p <version> NUL <index>}: one chunk, single-object encoded.
 * </ul>
 *
 * {@code <version>} is the version, publication time and chunk count in fixed-width decimal.
 */
final class StreamsChunkStore implements ChunkStore {
  private final KeyValueStore<String, byte[]> store;

  StreamsChunkStore(KeyValueStore<String, byte[]> store) {
    this.store = store;
  }

  @Override
  public long completeVersion(String modelId) {
    byte[] v = store.get(modelId + "\0c");
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  @Override
  public void setCompleteVersion(String modelId, long version) {
    store.put(modelId + "\0c", ByteBuffer.allocate(8).putLong(version).array());
  }

  @Override
  public int put(ChunkedVersion version, int index, ModelUpdate chunk) {
    String key = chunkPrefix(version) + String.format(Locale.ROOT, "%010d", index);
    String countKey = countKey(version);
    byte[] held = store.get(countKey);
    int count = held == null ? 0 : ByteBuffer.wrap(held).getInt();
    if (store.get(key) == null) {
      count++;
      store.put(countKey, ByteBuffer.allocate(4).putInt(count).array());
    }
    store.put(key, Codecs.MODEL_UPDATE.encode(chunk));
    return count;
  }

  @Override
  public List<ModelUpdate> chunks(ChunkedVersion version) {
    String prefix = chunkPrefix(version);
    List<ModelUpdate> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        store.range(prefix, prefix.substring(0, prefix.length() - 1) + "\u0001")) {
      while (it.hasNext()) {
        out.add(Codecs.MODEL_UPDATE.decode(it.next().value));
      }
    } catch (DecodeException e) {
      throw new IllegalStateException("a chunk in the store no longer decodes", e);
    }
    return out;
  }

  @Override
  public List<ChunkedVersion> waiting(String modelId) {
    String from = modelId + "\0w";
    List<ChunkedVersion> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(from, modelId + "\0x")) {
      while (it.hasNext()) {
        String[] parts = it.next().key.substring(from.length()).split("\\.");
        out.add(
            new ChunkedVersion(
                modelId,
                Long.parseLong(parts[0]),
                Long.parseLong(parts[1]),
                Integer.parseInt(parts[2])));
      }
    }
    return out;
  }

  @Override
  public void remove(ChunkedVersion version) {
    String prefix = chunkPrefix(version);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        store.range(prefix, prefix.substring(0, prefix.length() - 1) + "\u0001")) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(store::delete);
    store.delete(countKey(version));
  }

  private static String id(ChunkedVersion v) {
    return String.format(Locale.ROOT, "%019d.%019d.%010d", v.version(), v.publishedAt(), v.count());
  }

  private static String countKey(ChunkedVersion v) {
    return v.modelId() + "\0w" + id(v);
  }

  private static String chunkPrefix(ChunkedVersion v) {
    return v.modelId() + "\0p" + id(v) + "\0";
  }
}
