package io.streamsgd.job.train;

import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.job.source.SampleFormat;
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
 * @param writeBackSamples open-batch samples kept on the heap before they are written to state
 *     ahead of the next checkpoint (see {@link OpenBatches})
 * @param writeBackModels models whose open batch the heap cache holds at most
 * @param samples how the trainer decodes the records that cross the shuffle undecoded
 */
public record TrainerOptions(
    MissingSpecPolicy missingSpec,
    String defaultSpecJson,
    long specPollMillis,
    boolean exactlyOnce,
    Set<String> watchedModelIds,
    boolean parameterBlocks,
    WriteBack writeBack,
    SampleFormat samples)
    implements Serializable {

  /**
   * Bounds of the open-batch cache: past {@code samples} samples not yet in state, or {@code
   * models} cached models, it is written back early; on RocksDB, the models kept to score batches
   * of running sums take at most {@code modelBytes} (0: an eighth of the TaskManager's heap).
   */
  public record WriteBack(int samples, int models, long modelBytes) implements Serializable {
    /** About 20 MB of samples of 64 doubles, 40 MB of models. */
    public static final WriteBack DEFAULT = new WriteBack(20_000, 200_000);

    public WriteBack(int samples, int models) {
      this(samples, models, 0);
    }

    public WriteBack {
      if (samples < 0 || models < 1 || modelBytes < 0) {
        throw new IllegalArgumentException(
            "the open-batch cache needs samples >= 0, models >= 1 and model bytes >= 0, got "
                + samples
                + ", "
                + models
                + ", "
                + modelBytes);
      }
    }
  }

  public TrainerOptions {
    if (missingSpec == MissingSpecPolicy.DEFAULT && defaultSpecJson == null) {
      throw new IllegalArgumentException("missing-spec policy DEFAULT needs a default spec");
    }
    watchedModelIds = Set.copyOf(watchedModelIds);
  }

  /** Waits for specs (polling every 100 ms), no default spec, exactly-once, no watched models. */
  public static TrainerOptions defaults() {
    return new TrainerOptions(
        MissingSpecPolicy.WAIT,
        null,
        100,
        true,
        Set.of(),
        false,
        WriteBack.DEFAULT,
        new SampleFormat(1 << 20, 1 << 20, null));
  }

  public static TrainerOptions from(JobSettings s) {
    return new TrainerOptions(
        s.missingSpec,
        s.defaultSpecJson,
        s.specPollInterval.toMillis(),
        s.deliveryGuarantee == SinkGuarantee.EXACTLY_ONCE,
        Set.copyOf(s.metricsModelIds),
        // RocksDB rewrites a value whole on each write: large models keep their columns in blocks.
        s.stateBackend == StateBackendKind.ROCKSDB,
        new WriteBack(s.writeBackSamples, s.writeBackModels),
        new SampleFormat(s.maxRecordBytes, s.maxFeatures, s.registry));
  }

  public TrainerOptions withMissingSpec(MissingSpecPolicy policy, String defaultSpec) {
    return new TrainerOptions(
        policy,
        defaultSpec,
        specPollMillis,
        exactlyOnce,
        watchedModelIds,
        parameterBlocks,
        writeBack,
        samples);
  }

  public TrainerOptions withExactlyOnce(boolean on) {
    return new TrainerOptions(
        missingSpec,
        defaultSpecJson,
        specPollMillis,
        on,
        watchedModelIds,
        parameterBlocks,
        writeBack,
        samples);
  }

  public TrainerOptions withWatchedModelIds(Set<String> ids) {
    return new TrainerOptions(
        missingSpec,
        defaultSpecJson,
        specPollMillis,
        exactlyOnce,
        ids,
        parameterBlocks,
        writeBack,
        samples);
  }

  /** Large models' columns in blocks of map state (the RocksDB layout) or in the model value. */
  public TrainerOptions withParameterBlocks(boolean on) {
    return new TrainerOptions(
        missingSpec,
        defaultSpecJson,
        specPollMillis,
        exactlyOnce,
        watchedModelIds,
        on,
        writeBack,
        samples);
  }

  /** The open-batch cache's bounds (see {@link OpenBatches}). */
  public TrainerOptions withWriteBack(int samples, int models) {
    return withWriteBack(new WriteBack(samples, models, writeBack.modelBytes()));
  }

  /** The open-batch cache's bounds, the budget of kept models included. */
  public TrainerOptions withWriteBack(WriteBack bounds) {
    return new TrainerOptions(
        missingSpec,
        defaultSpecJson,
        specPollMillis,
        exactlyOnce,
        watchedModelIds,
        parameterBlocks,
        bounds,
        samples);
  }
}
