package io.streamsgd.core.spec;

import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;

/**
 * The part of a spec that fixes the parameter layout: task, number of outputs, feature dimension.
 * Two specs of the same shape can hand parameters to each other.
 */
public record SpecShape(Task task, int outputs, int dimension) {

  public static SpecShape of(ModelSpec spec) {
    return of(spec, LossFunction.of(spec));
  }

  /** As {@link #of(ModelSpec)}, with the spec's loss already built. */
  static SpecShape of(ModelSpec spec, LossFunction loss) {
    return new SpecShape(
        spec.getTask(), loss.outputs(spec.getNumClasses()), spec.getFeatureDimension());
  }
}
