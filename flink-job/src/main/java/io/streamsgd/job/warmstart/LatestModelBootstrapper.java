package io.streamsgd.job.warmstart;

import io.streamsgd.core.train.LearnerState;
import io.streamsgd.job.train.MinibatchTrainer;
import io.streamsgd.schema.ModelUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/** Writes, per model id, the trainer's model state from the highest published version. */
final class LatestModelBootstrapper extends KeyedStateBootstrapFunction<String, ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private transient ValueState<LearnerState> model;

  @Override
  public void open(OpenContext openContext) {
    model = getRuntimeContext().getState(MinibatchTrainer.modelStateDescriptor());
  }

  @Override
  public void processElement(ModelUpdate update, Context ctx) throws Exception {
    LearnerState held = model.value();
    if (held == null || update.getVersion() > held.version()) {
      model.update(LearnerState.fromUpdate(update));
    }
  }
}
