package io.streamsgd.job.train;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.source.DeadLetterCounters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.SampleDecoding;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.job.spec.SpecBroadcast;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed trainer: one instance per subtask, one state slot per model id ({@link TrainerState}),
 * specs keyed by model id like the samples (so that no input is a broadcast, and checkpoints may be
 * unaligned). It routes each sample and timer to the part that handles it: {@link WaitingForSpec}
 * holds samples until their model's spec arrives, {@link BatchBoundaries} decides where batches
 * begin and end, {@link BatchCloser} applies a closed batch and publishes the model's next version.
 * The model state is read and written once per batch; adaptive policies also read it at their test
 * points, a few times per batch.
 */
public final class MinibatchTrainer
    extends KeyedCoProcessFunction<String, TrainerInput, ModelSpec, ModelUpdate>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(MinibatchTrainer.class);

  private final TrainerOptions options;

  private transient SpecLookup specs;
  private transient TrainerState state;
  private transient ModelCall call;
  private transient SampleDecoding decoding;
  private transient WaitingForSpec waiting;
  private transient BatchBoundaries boundaries;
  private transient Publication publication;
  private transient long lastCheckpointId;
  private transient ListState<Tuple3<Integer, Long, Long>> censusState;
  private transient BroadcastState<String, ModelSpec> broadcastSpecs; // of earlier versions
  private transient ModelCensus census;
  private transient KeyContext operator;

  /** Side output of the models' drift events (warnings, drifts, reactions). */
  public static final org.apache.flink.util.OutputTag<io.streamsgd.schema.DriftEvent> DRIFT_EVENTS =
      DriftEvents.TAG;

  public MinibatchTrainer(TrainerOptions options) {
    this.options = options;
  }

  /** State descriptors, shared with tools that read or bootstrap the trainer's state. */
  public static ValueStateDescriptor<LearnerState> modelStateDescriptor() {
    return TrainerState.modelDescriptor();
  }

  public static ListStateDescriptor<Sample> openBatchDescriptor() {
    return TrainerState.openBatchDescriptor();
  }

  public static ValueStateDescriptor<OpenBatch> openBatchMetaDescriptor() {
    return TrainerState.openBatchMetaDescriptor();
  }

  /** The operator this trainer runs in: it sets the current key for write-backs. */
  void runIn(KeyContext operator) {
    this.operator = operator;
  }

  /** Writes the open batches kept on the heap to keyed state (before a checkpoint barrier). */
  void writeBack() throws Exception {
    state.batches.writeBack();
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    if (operator == null) {
      throw new IllegalStateException(
          "the trainer runs in a TrainerOperator, which writes its open batches to state");
    }
    state = new TrainerState(getRuntimeContext(), options, operator);
    String defaultJson = options.defaultSpecJson();
    specs =
        new SpecLookup(
            options.missingSpec(),
            defaultJson == null ? null : ModelSpecJson.parse(defaultJson),
            state.spec,
            options.writeBack().models());
    var group = getRuntimeContext().getMetricGroup();
    DeadLetterCounters deadLetters = new DeadLetterCounters(group);
    call = new ModelCall(deadLetters);
    decoding = new SampleDecoding(options.samples(), group, deadLetters);
    var task = getRuntimeContext().getTaskInfo();
    census =
        new ModelCensus(
            task.getMaxNumberOfParallelSubtasks(),
            task.getNumberOfParallelSubtasks(),
            task.getIndexOfThisSubtask());
    census.restore(censusState.get());
    migrateBroadcastSpecs(task);
    TrainerMetrics metrics = new TrainerMetrics(group, census, options.watchedModelIds());
    publication = new Publication(state, options.exactlyOnce(), () -> lastCheckpointId);
    BatchCloser closer = new BatchCloser(state, specs, metrics, publication);
    boundaries = new BatchBoundaries(state, specs, closer, metrics.batchTestsEvaluated);
    waiting = new WaitingForSpec(state, boundaries, options.specPollMillis());
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
    censusState = context.getOperatorStateStore().getUnionListState(ModelCensus.DESCRIPTOR);
    broadcastSpecs = context.getOperatorStateStore().getBroadcastState(SpecBroadcast.DESCRIPTOR);
  }

  /**
   * A savepoint of an earlier version holds the specs as broadcast state, all of them on every
   * subtask: each subtask moves its own models' specs into keyed state (a spec that came since
   * stays) and empties the broadcast state, so the next checkpoint holds them once, keyed. A
   * failure before that checkpoint restores the broadcast state again, and this runs again.
   */
  private void migrateBroadcastSpecs(org.apache.flink.api.common.TaskInfo task) throws Exception {
    if (!broadcastSpecs.entries().iterator().hasNext()) {
      return;
    }
    Object current = operator.getCurrentKey();
    int moved = 0;
    for (Map.Entry<String, ModelSpec> e : broadcastSpecs.entries()) {
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
              e.getKey(), task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
          != task.getIndexOfThisSubtask()) {
        continue;
      }
      operator.setCurrentKey(e.getKey());
      if (state.spec.value() == null) {
        state.spec.update(e.getValue());
        moved++;
      }
    }
    broadcastSpecs.clear();
    if (current != null) {
      operator.setCurrentKey(current);
    }
    LOG.info("Moved {} specs of this subtask's models from broadcast to keyed state", moved);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    lastCheckpointId = context.getCheckpointId();
    censusState.update(census.snapshot());
  }

  /**
   * A model's new spec (keyed by its model id). An open batch adopts it when it closes; samples
   * held for it are trained at their next poll or with the model's next sample, as when specs were
   * broadcast: releasing them here, before the spec input's watermark moves on, would let that
   * watermark end the released batch at a point no replay shares (see {@link BatchBoundaries}).
   */
  @Override
  public void processElement2(ModelSpec spec, Context ctx, Collector<ModelUpdate> out)
      throws Exception {
    specs.put(ctx.getCurrentKey(), spec);
  }

  @Override
  public void processElement1(TrainerInput input, Context ctx, Collector<ModelUpdate> out)
      throws Exception {
    ModelCall c = call.bind(ctx, out);
    Sample sample = input.sample();
    if (sample == null) {
      sample = decode(input, c);
      if (sample == null) {
        return;
      }
    }
    ModelSpec spec = specs.specFor(ctx.getCurrentKey());
    if (spec != null) {
      OpenBatch meta = state.batches.value();
      if (WaitingForSpec.holding(meta)) {
        // The spec came before the poll did: samples held for it go first, in their order.
        waiting.release(meta, spec, meta.specPollTimer, c);
        meta = state.batches.value();
      }
      boundaries.accept(sample, spec, meta, c);
    } else if (specs.deadLettersWithoutSpec()) {
      c.reject(
          sample, new Rejection(DeadLetterReason.NO_SPEC, "no spec for model " + sample.modelId()));
    } else {
      waiting.hold(sample, c);
    }
  }

  /**
   * Decodes a record that crossed the shuffle as its bytes, routed by its Kafka key; a sample whose
   * model id is not that key is in another model's state slot, and leaves as KEY_MISMATCH.
   */
  private Sample decode(TrainerInput input, ModelCall c) {
    RawRecord raw = input.raw();
    Sample sample = decoding.decode(raw, c);
    if (sample != null && !sample.modelId().equals(input.key())) {
      return decoding.reject(
          c,
          raw,
          DeadLetterReason.KEY_MISMATCH,
          "record key " + input.key() + " is not the sample's modelId " + sample.modelId(),
          sample.modelId());
    }
    return sample;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out)
      throws Exception {
    ModelCall c = call.bind(ctx, out);
    boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
    OpenBatch meta = state.batches.value();
    if (meta != null && meta.count > 0) {
      ModelSpec spec = specs.specFor(ctx.getCurrentKey());
      if (WaitingForSpec.holding(meta)) {
        // The poll is a processing-time timer, the end of input an event-time one.
        if (eventTime
            ? timestamp == BatchBoundaries.END_OF_INPUT
            : timestamp == meta.specPollTimer) {
          waiting.release(meta, spec, timestamp, c);
        }
      } else {
        boundaries.onTimer(timestamp, eventTime, meta, spec, c);
      }
    }
    // After the batch's own work: what a closing batch publishes supersedes a pending update.
    publication.onTimer(
        timestamp, eventTime, eventTime && timestamp == BatchBoundaries.END_OF_INPUT, c);
  }
}
