package io.streamsgd.job.testing;

import io.streamsgd.core.train.Sample;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.job.train.MinibatchTrainer;
import io.streamsgd.job.train.TrainerOperator;
import io.streamsgd.job.train.TrainerOptions;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The trainer in Flink's keyed broadcast operator test harness (state, timers, snapshot and restore
 * in milliseconds), keyed by model id like the job, one subtask of max parallelism 128.
 */
public final class TrainerHarness {
  private TrainerOptions options = TrainerOptions.defaults();

  private TrainerHarness() {}

  /** Specs waited for (polled every 100 ms), exactly-once, until told otherwise. */
  public static TrainerHarness builder() {
    return new TrainerHarness();
  }

  public TrainerHarness missingSpec(MissingSpecPolicy policy, String defaultSpecJson) {
    options = options.withMissingSpec(policy, defaultSpecJson);
    return this;
  }

  private boolean rocksDb;

  /** Bounds of the trainer's heap cache of open batches (see {@code OpenBatches}). */
  public TrainerHarness writeBack(int samples, int models) {
    options = options.withWriteBack(samples, models);
    return this;
  }

  /**
   * On embedded RocksDB (incremental checkpoints), large models in parameter blocks, as the job
   * runs with {@code streamsgd.state.backend=ROCKSDB}.
   */
  public TrainerHarness rocksDb() {
    rocksDb = true;
    options = options.withParameterBlocks(true);
    return this;
  }

  /** The budget of models kept to score batches of running sums (RocksDB). */
  public TrainerHarness keptModelBytes(long bytes) {
    TrainerOptions.WriteBack w = options.writeBack();
    options = options.withWriteBack(new TrainerOptions.WriteBack(w.samples(), w.models(), bytes));
    return this;
  }

  public TrainerHarness options(TrainerOptions trainerOptions) {
    options = trainerOptions;
    return this;
  }

  /** A harness not yet opened (to restore a snapshot into it first). */
  public Harness build() throws Exception {
    var h = new Harness(new TrainerOperator(new MinibatchTrainer(options)));
    if (rocksDb) {
      h.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend(true));
    }
    return h;
  }

  /** An opened harness that has received {@code specs} on the broadcast side. */
  public Harness open(ModelSpec... specs) throws Exception {
    var h = build();
    h.open();
    for (ModelSpec spec : specs) {
      h.processSpec(spec, 0);
    }
    return h;
  }

  /**
   * Flink's harness, snapshotting as a task does: the operator is told of the coming barrier first
   * ({@code prepareSnapshotPreBarrier}, where the trainer writes its cached open batches to state).
   * Samples go in decoded, as records without a model-id key arrive, or as records still in their
   * bytes ({@link #processRecord}); specs on the second input, keyed by model id as the job keys
   * them.
   */
  public static final class Harness
      extends KeyedTwoInputStreamOperatorTestHarness<String, TrainerInput, ModelSpec, ModelUpdate> {
    Harness(TrainerOperator operator) throws Exception {
      super(operator, TrainerInput::key, ModelSpec::getModelId, Types.STRING, 128, 1, 0);
    }

    public void processElement(TrainerInput input, long timestamp) throws Exception {
      processElement1(input, timestamp);
    }

    /** A sample decoded before the shuffle. */
    public void processElement(Sample sample, long timestamp) throws Exception {
      processElement1(TrainerInput.decoded(sample), timestamp);
    }

    /** A record keyed by a model id, decoded by the trainer. */
    public void processRecord(RawRecord record, long timestamp) throws Exception {
      processElement1(TrainerInput.undecoded(record), timestamp);
    }

    /** A spec from the specs topic. */
    public void processSpec(ModelSpec spec, long timestamp) throws Exception {
      processElement2(spec, timestamp);
    }

    /** A watermark of the samples input. */
    public void processWatermark(Watermark watermark) throws Exception {
      processWatermark1(watermark);
    }

    public void processWatermark(long watermark) throws Exception {
      processWatermark1(new Watermark(watermark));
    }

    /** A watermark of the specs input. */
    public void processSpecWatermark(Watermark watermark) throws Exception {
      processWatermark2(watermark);
    }

    @Override
    public OperatorSnapshotFinalizer snapshotWithLocalState(
        long checkpointId, long timestamp, SnapshotType type) throws Exception {
      prepareSnapshotPreBarrier(checkpointId);
      return super.snapshotWithLocalState(checkpointId, timestamp, type);
    }
  }
}
