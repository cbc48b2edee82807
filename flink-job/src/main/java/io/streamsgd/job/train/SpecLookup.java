package io.streamsgd.job.train;

import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.spec.CompiledSpecCache;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.schema.ModelSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;

/**
 * Which spec a model trains under: its own (keyed state: the spec input is keyed by model id like
 * the samples), else the job's default spec (shared, under its own model id until {@link #forModel}
 * gives it the model's), else none (the samples wait or go to dead letters). Keeps each spec's
 * compiled form.
 *
 * <p>Every sample asks for its model's spec, and on RocksDB a keyed-state read is a lookup and an
 * Avro decoding. The subtask's specs only change through {@link #put}, so what was read, or found
 * missing, is kept on the heap: one entry per model of the subtask, where the broadcast state of
 * earlier versions kept every model's spec on every subtask. Bounded like the open-batch cache (the
 * job's {@code streamsgd.trainer.write-back-models}): past it, the copies are dropped and read
 * again as models come, so a stream of ever new model ids cannot fill the heap.
 */
final class SpecLookup {
  private static final Object NONE = new Object();

  private final MissingSpecPolicy missingSpec;
  private final ModelSpec defaultSpec;
  private final ValueState<ModelSpec> state;
  private final Map<String, Object> known = new HashMap<>();
  private final int maxEntries;
  private final CompiledSpecCache compiled = new CompiledSpecCache();

  SpecLookup(
      MissingSpecPolicy missingSpec,
      ModelSpec defaultSpec,
      ValueState<ModelSpec> state,
      int maxEntries) {
    this.missingSpec = missingSpec;
    this.defaultSpec = defaultSpec;
    this.state = state;
    this.maxEntries = maxEntries;
  }

  /** The spec of {@code modelId}, the current key; null when it has none and no default applies. */
  ModelSpec specFor(String modelId) throws Exception {
    Object spec = known.get(modelId);
    if (spec == null) {
      ModelSpec stored = state.value();
      spec = stored == null ? NONE : stored;
      remember(modelId, spec);
    }
    if (spec == NONE) {
      return missingSpec == MissingSpecPolicy.DEFAULT ? defaultSpec : null;
    }
    return (ModelSpec) spec;
  }

  /** A new spec for {@code modelId}, the current key. */
  void put(String modelId, ModelSpec spec) throws Exception {
    state.update(spec);
    remember(modelId, spec);
  }

  private void remember(String modelId, Object spec) {
    if (known.size() >= maxEntries && !known.containsKey(modelId)) {
      known.clear();
    }
    known.put(modelId, spec);
  }

  /** Samples of a model without a spec go to dead letters (else they wait for one). */
  boolean deadLettersWithoutSpec() {
    return missingSpec == MissingSpecPolicy.DEAD_LETTER;
  }

  CompiledSpec compiled(ModelSpec spec) {
    return compiled.get(spec);
  }

  /** The job's default spec is shared; give it the model's id. */
  static ModelSpec forModel(ModelSpec spec, String modelId) {
    return spec.getModelId().equals(modelId)
        ? spec
        : ModelSpec.newBuilder(spec).setModelId(modelId).build();
  }
}
