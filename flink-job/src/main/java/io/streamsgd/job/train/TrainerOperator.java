package io.streamsgd.job.train;

import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Flink's keyed two-input operator running a {@link MinibatchTrainer} (samples and specs, both
 * keyed by model id), with the one thing the function alone cannot do: write the open batches it
 * keeps on the heap ({@link OpenBatches}) back to keyed state before each checkpoint barrier, under
 * each model's key.
 */
public final class TrainerOperator
    extends KeyedCoProcessOperator<String, TrainerInput, ModelSpec, ModelUpdate> {
  private static final long serialVersionUID = 1L;

  private final MinibatchTrainer trainer;

  public TrainerOperator(MinibatchTrainer trainer) {
    super(trainer);
    this.trainer = trainer;
  }

  @Override
  public void open() throws Exception {
    trainer.runIn(this);
    super.open();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    trainer.writeBack();
    super.prepareSnapshotPreBarrier(checkpointId);
  }
}
