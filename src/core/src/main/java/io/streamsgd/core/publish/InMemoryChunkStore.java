package io.streamsgd.core.publish;

import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link ChunkStore} on the heap, for readers that rebuild their state from the topic. */
public final class InMemoryChunkStore implements ChunkStore {
  private final Map<String, Long> complete = new HashMap<>();
  private final Map<String, TreeMap<ChunkedVersion, TreeMap<Integer, ModelUpdate>>> waiting =
      new HashMap<>();
  private final Map<String, List<PublishedSpec>> specs = new HashMap<>();

  @Override
  public long completeVersion(String modelId) {
    return complete.getOrDefault(modelId, 0L);
  }

  @Override
  public void complete(ModelUpdate whole, ChunkedVersion from) {
    complete.put(whole.getModelId(), whole.getVersion());
  }

  @Override
  public int put(ChunkedVersion version, int index, ModelUpdate chunk) {
    TreeMap<Integer, ModelUpdate> chunks =
        waiting
            .computeIfAbsent(version.modelId(), id -> new TreeMap<>())
            .computeIfAbsent(version, v -> new TreeMap<>());
    chunks.put(index, chunk);
    return chunks.size();
  }

  @Override
  public List<ModelUpdate> chunks(ChunkedVersion version) {
    var of = waiting.get(version.modelId());
    var chunks = of == null ? null : of.get(version);
    return chunks == null ? List.of() : new ArrayList<>(chunks.values());
  }

  @Override
  public List<ChunkedVersion> waiting(String modelId) {
    var of = waiting.get(modelId);
    return of == null ? List.of() : new ArrayList<>(of.keySet());
  }

  @Override
  public void remove(ChunkedVersion version) {
    var of = waiting.get(version.modelId());
    if (of != null) {
      of.remove(version);
      if (of.isEmpty()) {
        waiting.remove(version.modelId());
      }
    }
  }

  @Override
  public void putSpec(PublishedSpec spec) {
    PublishedSpec held = spec(spec.getModelId(), spec.getSpecFingerprint());
    if (held != null && held.getFromVersion() >= spec.getFromVersion()) {
      return;
    }
    List<PublishedSpec> of = specs.computeIfAbsent(spec.getModelId(), id -> new ArrayList<>());
    of.remove(held);
    of.add(spec);
  }

  @Override
  public PublishedSpec spec(String modelId, long fingerprint) {
    for (PublishedSpec s : specs.getOrDefault(modelId, List.of())) {
      if (s.getSpecFingerprint() == fingerprint) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void removeSpecsUpTo(String modelId, long version, long keepFingerprint) {
    List<PublishedSpec> of = specs.get(modelId);
    if (of != null) {
      of.removeIf(s -> s.getFromVersion() <= version && s.getSpecFingerprint() != keepFingerprint);
      if (of.isEmpty()) {
        specs.remove(modelId);
      }
    }
  }

  /** Chunks held over all models (for tests and metrics). */
  public int chunksHeld() {
    return waiting.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(TreeMap::size)
        .sum();
  }
}
