package io.streamsgd.serving;

import io.streamsgd.core.publish.ChunkedVersion;
import io.streamsgd.schema.ModelUpdate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The latest complete version of each model held in the serving app's store, whole: a chunked
 * version is put together once, when first read after it became current, and kept until the next
 * one (the store keeps its records, not the whole). Thread-safe: the stream thread scoring requests
 * and the HTTP threads share it.
 */
final class CurrentModels {
  private record Held(ChunkedVersion version, ModelUpdate whole) {}

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  Optional<ModelUpdate> get(ReadOnlyKeyValueStore<String, byte[]> store, String modelId) {
    for (int attempt = 0; ; attempt++) {
      Optional<ChunkedVersion> current = StreamsChunkStore.current(store, modelId);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      Held h = held.get(modelId);
      if (h != null && h.version().equals(current.get())) {
        return Optional.of(h.whole());
      }
      Optional<ModelUpdate> whole = StreamsChunkStore.whole(store, current.get());
      if (whole.isPresent()) {
        held.put(modelId, new Held(current.get(), whole.get()));
        return whole;
      }
      // A newer version replaced this one between the two reads (an HTTP thread racing the
      // stream thread): read again; the stream thread itself never gets here.
      if (attempt == 10) {
        throw new IllegalStateException("model " + modelId + " changes faster than it is read");
      }
    }
  }
}
