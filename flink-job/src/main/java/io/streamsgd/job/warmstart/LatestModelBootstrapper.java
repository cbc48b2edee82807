package io.streamsgd.job.warmstart;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.train.MinibatchTrainer;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.DecodeException;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes, per model id, the trainer's model state from the highest published version; a version
 * published in chunks counts once all of them are read, one that names its spec once that spec is
 * read from the published-specs topic (in whatever order the batch job hands them over). Records
 * that are neither a model version nor a published spec are skipped: not ours to restore.
 */
final class LatestModelBootstrapper extends KeyedStateBootstrapFunction<String, RawRecord> {
  private static final long serialVersionUID = 1L;
  private final String specsTopic;
  private transient ValueState<LearnerState> model;
  private transient VersionAssembler assembler;

  LatestModelBootstrapper(String specsTopic) {
    this.specsTopic = specsTopic;
  }

  @Override
  public void open(OpenContext openContext) {
    model = getRuntimeContext().getState(MinibatchTrainer.modelStateDescriptor());
    assembler = VersionAssembler.inMemory();
  }

  @Override
  public void processElement(RawRecord record, Context ctx) throws Exception {
    Optional<ModelUpdate> complete;
    try {
      complete =
          record.topic.equals(specsTopic)
              ? assembler.offerSpec(record.value)
              : assembler.offer(record.value);
    } catch (DecodeException | IllegalArgumentException notOurs) {
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
