package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled specs of the specs a trainer meets, looked up per sample. Two levels: by object
 * identity, which costs nothing (specs in broadcast state and a job's default spec are never
 * mutated: a changed spec arrives as a new object), and on an identity miss by the spec's
 * id-independent fingerprint, so that equal content under many ids or many objects is compiled
 * once. Encoding a spec to fingerprint it cost about 4 % of a TaskManager's CPU when it was done
 * per batch; here it is done once per spec object. Not thread-safe: one per operator instance.
 */
public final class CompiledSpecCache {
  private static final int CAPACITY = 1024;

  /** Keyed by identity: equal specs are cheap to tell apart by object, not by content. */
  private record Identity(ModelSpec spec) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.spec == spec;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(spec);
    }
  }

  private final Map<Identity, CompiledSpec> byObject = lru();
  private final Map<Long, CompiledSpec> byContent = lru();

  private static <K> Map<K, CompiledSpec> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, CompiledSpec> eldest) {
        return size() > CAPACITY;
      }
    };
  }

  /** The compiled form of {@code spec}. */
  public CompiledSpec get(ModelSpec spec) {
    Identity key = new Identity(spec);
    CompiledSpec compiled = byObject.get(key);
    if (compiled == null) {
      SpecFingerprint.Template template = SpecFingerprint.template(spec);
      compiled =
          byContent.computeIfAbsent(
              template.contentFingerprint(), k -> CompiledSpec.of(spec, template));
      byObject.put(key, compiled);
    }
    return compiled;
  }
}
