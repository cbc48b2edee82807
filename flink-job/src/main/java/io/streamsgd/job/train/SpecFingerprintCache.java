package io.streamsgd.job.train;

import io.streamsgd.core.spec.SpecFingerprint;
import io.streamsgd.schema.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fingerprints of the spec a model trains under, checked at every batch against the one in its
 * state. Encoding the spec for each batch cost about 4 % of a TaskManager's CPU at a few thousand
 * updates per second, so each spec object's id-independent encoding is kept (specs in broadcast
 * state and the job's default are never mutated: a changed spec arrives as a new object).
 */
final class SpecFingerprintCache {
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

  private final Map<Identity, SpecFingerprint.Template> templates =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, SpecFingerprint.Template> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The fingerprint of {@code spec} given to {@code modelId}. */
  long of(ModelSpec spec, String modelId) {
    return templates
        .computeIfAbsent(new Identity(spec), i -> SpecFingerprint.template(i.spec()))
        .fingerprint(modelId);
  }
}
