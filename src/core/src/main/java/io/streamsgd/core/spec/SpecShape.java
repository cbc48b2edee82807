package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;

/**
 * The part of a spec that fixes the parameter layout: task, number of outputs, feature
 * dimension. Two specs of the same shape can hand parameters to each other.
 */
public record SpecShape(Task task, int outputs, int dimension) {

  public static SpecShape of(ModelSpec spec) {
    int outputs = spec.getTask() == Task.MULTICLASS ? spec.getNumClasses() : 1;
    return new SpecShape(spec.getTask(), outputs, spec.getFeatureDimension());
  }
}
