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
    return new SpecShape(
        spec.getTask(),
        LossFunction.of(spec).outputs(spec.getNumClasses()),
        spec.getFeatureDimension());
  }
}
