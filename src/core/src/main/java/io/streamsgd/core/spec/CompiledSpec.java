package io.streamsgd.core.spec;

import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.core.optim.Optimizer;
import io.streamsgd.core.publish.PublicationSchedule;
import io.streamsgd.schema.ModelSpec;

/**
 * A spec with the objects it defines built once: its loss, optimizer, batch policy and parameter
 * shape, and the id-independent part of its fingerprint. Nothing here depends on the model id, so
 * one compiled spec serves every model that trains under the same spec content (the job's default
 * spec, say). Immutable apart from the fingerprint template, which is built on first use.
 */
public final class CompiledSpec {
  private final ModelSpec spec;
  private final LossFunction loss;
  private final Optimizer optimizer;
  private final BatchPolicy batchPolicy;
  private final SpecShape shape;
  private final PublicationSchedule publication;
  private volatile SpecFingerprint.Template template;

  private CompiledSpec(ModelSpec spec, SpecFingerprint.Template template) {
    this.spec = spec;
    this.loss = LossFunction.of(spec);
    this.optimizer = Optimizer.of(spec.getOptimizer());
    this.batchPolicy = BatchPolicy.of(spec.getBatch());
    this.shape = SpecShape.of(spec, loss);
    this.publication = PublicationSchedule.of(spec.getPublication());
    this.template = template;
  }

  /** Builds the objects of {@code spec}; {@link CompiledSpecCache} keeps them per spec. */
  public static CompiledSpec of(ModelSpec spec) {
    return new CompiledSpec(spec, null);
  }

  static CompiledSpec of(ModelSpec spec, SpecFingerprint.Template template) {
    return new CompiledSpec(spec, template);
  }

  /** The spec this was built from; its model id is that of the first spec of this content. */
  public ModelSpec spec() {
    return spec;
  }

  public LossFunction loss() {
    return loss;
  }

  /** Stateless: the optimizer's per-parameter state lives in the model's slots. */
  public Optimizer optimizer() {
    return optimizer;
  }

  public BatchPolicy batchPolicy() {
    return batchPolicy;
  }

  public SpecShape shape() {
    return shape;
  }

  /** When the model is published, apart from its updates. */
  public PublicationSchedule publication() {
    return publication;
  }

  /** Equals {@link SpecFingerprint#of} of this spec given {@code modelId}, without encoding it. */
  public long fingerprint(String modelId) {
    SpecFingerprint.Template t = template;
    if (t == null) {
      t = SpecFingerprint.template(spec);
      template = t;
    }
    return t.fingerprint(modelId);
  }
}
