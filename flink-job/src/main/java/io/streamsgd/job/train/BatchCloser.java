package io.streamsgd.job.train;

import io.streamsgd.core.spec.CompiledSpec;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.BatchSums;
import io.streamsgd.core.train.DriftWatch;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a model's batch: reads the model state once, adopts a changed spec, applies the batch as
 * one minibatch step (prequential scoring, gradient, optimizer: {@link MinibatchUpdate}), writes
 * the state once; the update is the model's next version, published when its {@link Publication}
 * says so.
 */
final class BatchCloser {
  private static final Logger LOG = LoggerFactory.getLogger(BatchCloser.class);

  private final TrainerState state;
  private final SpecLookup specs;
  private final TrainerMetrics metrics;
  private final Publication publication;

  BatchCloser(
      TrainerState state, SpecLookup specs, TrainerMetrics metrics, Publication publication) {
    this.state = state;
    this.specs = specs;
    this.metrics = metrics;
    this.publication = publication;
  }

  /**
   * Applies and publishes {@code samples}, the batch that {@code meta} kept; returns the empty
   * batch that aims at the next target (already written to state).
   */
  OpenBatch close(
      List<Sample> samples, OpenBatch meta, ModelSpec spec, BatchCloseReason reason, ModelCall call)
      throws Exception {
    String modelId = call.modelId();
    state.batches.keepModel(null); // changed here: kept again once written
    LearnerState learner = state.store.value();
    long bytesBefore = ModelCensus.estimateBytes(learner);
    CompiledSpec compiled = specs.compiled(spec);
    if (learner == null) {
      learner = LearnerState.initial(SpecLookup.forModel(spec, modelId), compiled);
    } else if (learner.specFingerprint() != compiled.fingerprint(modelId)) {
      state.store.loadAll(learner); // a new spec may reset slots or start a new lineage: all of it
      adoptSpec(learner, SpecLookup.forModel(spec, modelId), compiled);
    } else {
      learner.useCompiled(compiled);
    }
    List<Sample> valid = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      SampleValidator.Fitted fitted = SampleValidator.fit(s, learner.spec());
      if (fitted.rejection() == null) {
        valid.add(fitted.sample());
      } else {
        call.reject(s, fitted.rejection());
      }
    }
    if (!valid.isEmpty()) {
      state.store.loadFor(learner, valid);
      int lineageBefore = learner.lineage();
      BatchResult result = MinibatchUpdate.apply(learner, valid);
      if (learner.lineage() != lineageBefore) {
        // A drift's reaction replaced every parameter: the stored blocks are of the old lineage.
        state.store.forgetStoredParameters();
      }
      applied(learner, result, bytesBefore, meta, reason, call);
      state.store.write(learner);
      if (!learner.isSparse() && state.batches.keepModel(learner, false)) {
        // As written: the next batch, if it is kept as sums, scores with it without a read.
        state.batches.modelTrainsUnder(spec);
      }
    } else {
      state.store.release(learner);
    }
    return next(learner);
  }

  /**
   * Applies the batch of running sums {@code meta} kept, scored with the model as it stands (the
   * one {@link #modelForSums} gave): a spec that came since is adopted when the next batch opens.
   * Returns the empty batch that aims at the next target.
   */
  OpenBatch closeSums(OpenBatch meta, BatchCloseReason reason, ModelCall call) throws Exception {
    LearnerState learner = scoringModel();
    long bytesBefore = ModelCensus.estimateBytes(learner);
    BatchResult result = MinibatchUpdate.apply(learner, meta.sums);
    applied(learner, result, bytesBefore, meta, reason, call);
    state.store.write(learner);
    return next(learner);
  }

  /**
   * The model a batch of running sums is scored with: the one kept for the open batch, or the
   * stored one (one read per batch). Only for a model that has sums open.
   */
  LearnerState scoringModel() throws Exception {
    return keptModel(true);
  }

  /**
   * The kept model, else the stored one, kept from now on ({@code always}, or within the budget of
   * kept models); null when there is none or it could not be kept.
   */
  private LearnerState keptModel(boolean always) throws Exception {
    LearnerState learner = state.batches.model();
    if (learner == null) {
      learner = state.store.value();
      if (learner != null && !state.batches.keepModel(learner, always)) {
        return null;
      }
    }
    return learner;
  }

  /**
   * A batch opens: the model to keep it as running sums with, or null to keep its samples (a
   * model's first batch, as nothing is stored yet; specs whose models need the samples, see {@link
   * BatchSums#supports}; and, on RocksDB, models past the budget of kept models). A spec the model
   * has not adopted yet is adopted now, and the model written at once, so that the stored model is
   * always the one the open sums were scored with.
   */
  LearnerState modelForSums(ModelSpec spec, CompiledSpec compiled, ModelCall call)
      throws Exception {
    if (!BatchSums.supports(spec, compiled)) {
      state.batches.keepModel(null);
      return null;
    }
    // Past the budget of kept models, the batch keeps its samples: a batch of sums scores every
    // sample with its model, which must then be at hand.
    LearnerState learner = keptModel(false);
    if (learner == null) {
      return null;
    }
    String modelId = call.modelId();
    if (!trainsUnder(learner, spec, compiled, modelId)) {
      state.store.loadAll(learner);
      adoptSpec(learner, SpecLookup.forModel(spec, modelId), compiled);
      state.store.write(learner);
      if (!BatchSums.supports(learner)) {
        state.batches.keepModel(null);
        return null;
      }
      state.batches.modelTrainsUnder(spec);
    } else {
      learner.useCompiled(compiled);
    }
    return learner;
  }

  /** Whether the kept model {@code learner} trains under {@code spec} (its fingerprint). */
  boolean trainsUnder(LearnerState learner, ModelSpec spec, CompiledSpec compiled, String modelId)
      throws Exception {
    if (state.batches.modelKnownToTrainUnder(spec)) {
      return true;
    }
    boolean same = learner.specFingerprint() == compiled.fingerprint(modelId);
    if (same) {
      state.batches.modelTrainsUnder(spec);
    }
    return same;
  }

  private void applied(
      LearnerState learner,
      BatchResult result,
      long bytesBefore,
      OpenBatch meta,
      BatchCloseReason reason,
      ModelCall call)
      throws Exception {
    String modelId = call.modelId();
    for (DriftWatch.Event e : result.driftEvents()) {
      call.driftEvent(DriftEvents.of(modelId, learner, e));
      metrics.driftEvent(e.kind());
    }
    long now = call.now();
    // A refused batch is published too (applied = false, the previous parameters): consumers
    // see the event at once.
    publication.afterUpdate(learner, result, reason, call);
    metrics.updateEmitted(modelId, learner, result, bytesBefore, meta.openedAt, now);
    if (!result.applied()) {
      LOG.warn(
          "Model {} refused a diverging update (batch of {}); learning-rate scale now {}",
          modelId,
          result.size(),
          learner.divergence().learningRateScale());
    }
  }

  private OpenBatch next(LearnerState learner) throws Exception {
    OpenBatch next = OpenBatch.next(learner.nextBatchTarget());
    state.batches.update(next);
    return next;
  }

  private void adoptSpec(LearnerState learner, ModelSpec spec, CompiledSpec compiled) {
    long from = learner.version() + 1;
    if (learner.adopt(spec, compiled)) {
      metrics.lineagesStarted.inc();
      LOG.warn(
          "Model {} got a spec of another shape: lineage {} starts from zero parameters at version {}",
          spec.getModelId(),
          learner.lineage(),
          from);
    } else {
      LOG.info("Model {} adopts a new spec from version {}", spec.getModelId(), from);
    }
  }
}
