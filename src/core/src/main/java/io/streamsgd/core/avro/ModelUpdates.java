package io.streamsgd.core.avro;

import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PrequentialMetrics;
import io.streamsgd.schema.Task;
import java.time.Instant;

/** Between a {@link LearnerState} after a batch and the published {@link ModelUpdate}. */
public final class ModelUpdates {

  private ModelUpdates() {}

  /**
   * A whole snapshot of the model after {@code batch}. The parameter arrays are copied, so the
   * learner may keep training while the update is being serialized.
   */
  public static ModelUpdate snapshot(
      LearnerState state,
      BatchResult batch,
      BatchCloseReason reason,
      Long checkpointId,
      long publishedAtMillis) {
    return snapshot(state, null, batch, reason, checkpointId, publishedAtMillis);
  }

  /**
   * As {@link #snapshot(LearnerState, BatchResult, BatchCloseReason, Long, long)}, with the
   * parameters given (a state layout that keeps columns apart assembles them); null: the state's
   * own.
   */
  public static ModelUpdate snapshot(
      LearnerState state,
      LinearModel model,
      BatchResult batch,
      BatchCloseReason reason,
      Long checkpointId,
      long publishedAtMillis) {
    LinearParameters parameters = parameters(model != null ? model : state.model());
    io.streamsgd.core.metrics.PrequentialMetrics m2 = state.metrics();
    boolean regression = state.spec().getTask() == Task.REGRESSION;
    PrequentialMetrics metrics =
        PrequentialMetrics.newBuilder()
            .setCount(m2.count())
            .setLossSum(m2.lossSum())
            .setWeightSum(m2.weightSum())
            .setMeanLoss(m2.meanLoss())
            .setBatchMeanLoss(batch.meanLoss())
            .setAccuracy(regression ? null : m2.accuracy())
            .setRmse(regression ? m2.rmse() : null)
            .setMae(regression ? m2.mae() : null)
            .setFadingFactor(state.spec().getFadingFactor())
            .setFadedLoss(m2.fadedLoss())
            .setFadedAccuracy(regression ? null : m2.fadedAccuracy())
            .setFadedRmse(regression ? m2.fadedRmse() : null)
            .setFadedMae(regression ? m2.fadedMae() : null)
            .build();
    return ModelUpdate.newBuilder()
        .setModelId(state.spec().getModelId())
        .setVersion(state.version())
        .setSpec(state.spec())
        .setSpecFingerprint(state.specFingerprint())
        .setParameters(parameters)
        .setSamplesSeen(state.samplesSeen())
        .setBatchSize(batch.size())
        .setCloseReason(reason)
        .setNextBatchTarget(state.nextBatchTarget())
        .setMetrics(metrics)
        .setLineage(state.lineage())
        .setLineageStartVersion(state.lineageStartVersion())
        .setDrift(state.drift() == null ? null : state.drift().status(state.spec().getDrift()))
        .setApplied(batch.applied())
        .setRejectedBatches(state.divergence().rejectedBatches())
        .setLearningRateScale(state.divergence().learningRateScale())
        .setEventTimeMin(Instant.ofEpochMilli(batch.eventTimeMin()))
        .setEventTimeMax(Instant.ofEpochMilli(batch.eventTimeMax()))
        .setCheckpointId(checkpointId)
        .setPublishedAt(Instant.ofEpochMilli(publishedAtMillis))
        .build();
  }

  /**
   * The published parameters: dense as stored, or the sparse form of a sparse-stored model (its
   * columns with a non-zero weight). Copies, so the learner may go on training meanwhile.
   */
  private static LinearParameters parameters(LinearModel m) {
    // A sparse model here is a copy already (a sparse state's model()); a dense one is the live
    // arrays, which the learner goes on updating.
    boolean copy = !m.isSparse();
    return new LinearParameters(
        m.outputs(),
        m.dimension(),
        new DoubleArrayView(copy ? m.weights().clone() : m.weights()),
        new DoubleArrayView(copy ? m.intercepts().clone() : m.intercepts()),
        m.isSparse() ? new IntArrayView(m.columns()) : null);
  }

  /** The parameters of a published update as a core model (dense or sparse, as published). */
  public static LinearModel model(ModelUpdate update) {
    return model(update.getParameters());
  }

  /** Published parameters as a core model (dense or sparse, as published). */
  public static LinearModel model(LinearParameters p) {
    double[] weights = DoubleArrayView.toArray(p.getWeights());
    double[] intercepts = DoubleArrayView.toArray(p.getIntercepts());
    if (p.getColumns() == null) {
      return new LinearModel(p.getOutputs(), p.getDimension(), weights, intercepts);
    }
    return LinearModel.sparse(
        p.getOutputs(),
        p.getDimension(),
        IntArrayView.toArray(p.getColumns()),
        weights,
        intercepts);
  }
}
