package io.streamsgd.job.warmstart;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.job.train.MinibatchTrainer;
import io.streamsgd.schema.ModelUpdate;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes, per model id, the trainer's model state from the highest published version; a version
 * published in chunks counts once all of them are read (in whatever order the batch job hands them
 * over).
 */
final class LatestModelBootstrapper extends KeyedStateBootstrapFunction<String, ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private transient ValueState<LearnerState> model;
  private transient VersionAssembler assembler;

  @Override
  public void open(OpenContext openContext) {
    model = getRuntimeContext().getState(MinibatchTrainer.modelStateDescriptor());
    assembler = VersionAssembler.inMemory();
  }

  @Override
  public void processElement(ModelUpdate record, Context ctx) throws Exception {
    Optional<ModelUpdate> complete;
    try {
      complete = assembler.offer(record);
    } catch (IllegalArgumentException notAChunkOfAnyVersion) {
      return;
    }
    if (complete.isPresent()) {
      ModelUpdate update = complete.get();
      LearnerState held = model.value();
      if (held == null || update.getVersion() > held.version()) {
        model.update(LearnerState.fromUpdate(update));
      }
    }
  }
}
