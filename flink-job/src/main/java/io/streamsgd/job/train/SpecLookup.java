package io.streamsgd.job.train;

import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.spec.CompiledSpecCache;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.schema.ModelSpec;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * Which spec a model trains under: its own from the broadcast specs, else the job's default spec
 * (shared, under its own model id until {@link #forModel} gives it the model's), else none (the
 * samples wait or go to dead letters). Keeps each spec's compiled form.
 */
final class SpecLookup {
  private final MissingSpecPolicy missingSpec;
  private final ModelSpec defaultSpec;
  private final CompiledSpecCache compiled = new CompiledSpecCache();

  SpecLookup(MissingSpecPolicy missingSpec, ModelSpec defaultSpec) {
    this.missingSpec = missingSpec;
    this.defaultSpec = defaultSpec;
  }

  ModelSpec specFor(String modelId, ReadOnlyBroadcastState<String, ModelSpec> specs)
      throws Exception {
    ModelSpec spec = specs.get(modelId);
    return spec == null && missingSpec == MissingSpecPolicy.DEFAULT ? defaultSpec : spec;
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
