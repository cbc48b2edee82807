package io.streamsgd.core.spec;

import io.streamsgd.core.loss.LossFunction;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;

/**
 * The part of a spec that fixes the parameter layout: task, number of outputs, feature dimension.
 * Two specs of the same shape can hand parameters to each other.
 */
public record SpecShape(Task task, int outputs, int dimension) {
  /**
   * Models with more weights than this are stored sparse: only the columns samples touched (dense
   * storage would take 512 KiB and up per model, whatever the samples use).
   */
  public static final int DENSE_STORAGE_MAX_WEIGHTS = 1 << 16;

  /**
   * Whether the trainer stores this shape's parameters sparse (see {@link
   * #DENSE_STORAGE_MAX_WEIGHTS}).
   */
  public boolean sparseStorage() {
    return (long) outputs * dimension > DENSE_STORAGE_MAX_WEIGHTS;
  }

  public static SpecShape of(ModelSpec spec) {
    return of(spec, LossFunction.of(spec));
  }

  /** As {@link #of(ModelSpec)}, with the spec's loss already built. */
  static SpecShape of(ModelSpec spec, LossFunction loss) {
    return new SpecShape(
        spec.getTask(), loss.outputs(spec.getNumClasses()), spec.getFeatureDimension());
  }
}
