package io.streamsgd.job.train;

import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.StateBackendKind;
import java.io.Serializable;
import java.util.Set;

/**
 * What the trainer is told by the job's settings.
 *
 * @param missingSpec what happens to samples of a model that has no spec
 * @param defaultSpecJson the spec models without one train under (policy DEFAULT), else null
 * @param specPollMillis how often samples held for a spec look for it again (policy WAIT)
 * @param exactlyOnce whether updates name the checkpoint whose transaction commits them
 * @param watchedModelIds the models that get gauges of their own (see {@link TrainerMetrics})
 * @param parameterBlocks whether large models keep their columns in blocks of map state, so that a
 *     batch rewrites only the blocks it touches (see {@link ModelStore}): the RocksDB layout
 */
public record TrainerOptions(
    MissingSpecPolicy missingSpec,
    String defaultSpecJson,
    long specPollMillis,
    boolean exactlyOnce,
    Set<String> watchedModelIds,
    boolean parameterBlocks)
    implements Serializable {

  public TrainerOptions {
    if (missingSpec == MissingSpecPolicy.DEFAULT && defaultSpecJson == null) {
      throw new IllegalArgumentException("missing-spec policy DEFAULT needs a default spec");
    }
    watchedModelIds = Set.copyOf(watchedModelIds);
  }

  /** Waits for specs (polling every 100 ms), no default spec, exactly-once, no watched models. */
  public static TrainerOptions defaults() {
    return new TrainerOptions(MissingSpecPolicy.WAIT, null, 100, true, Set.of(), false);
  }

  public static TrainerOptions from(JobSettings s) {
    return new TrainerOptions(
        s.missingSpec,
        s.defaultSpecJson,
        s.specPollInterval.toMillis(),
        s.deliveryGuarantee == SinkGuarantee.EXACTLY_ONCE,
        Set.copyOf(s.metricsModelIds),
        // RocksDB rewrites a value whole on each write: large models keep their columns in blocks.
        s.stateBackend == StateBackendKind.ROCKSDB);
  }

  public TrainerOptions withMissingSpec(MissingSpecPolicy policy, String defaultSpec) {
    return new TrainerOptions(
        policy, defaultSpec, specPollMillis, exactlyOnce, watchedModelIds, parameterBlocks);
  }

  public TrainerOptions withExactlyOnce(boolean on) {
    return new TrainerOptions(
        missingSpec, defaultSpecJson, specPollMillis, on, watchedModelIds, parameterBlocks);
  }

  public TrainerOptions withWatchedModelIds(Set<String> ids) {
    return new TrainerOptions(
        missingSpec, defaultSpecJson, specPollMillis, exactlyOnce, ids, parameterBlocks);
  }

  /** Large models' columns in blocks of map state (the RocksDB layout) or in the model value. */
  public TrainerOptions withParameterBlocks(boolean on) {
    return new TrainerOptions(
        missingSpec, defaultSpecJson, specPollMillis, exactlyOnce, watchedModelIds, on);
  }
}
