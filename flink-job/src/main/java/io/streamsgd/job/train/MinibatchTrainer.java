package io.streamsgd.job.train;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.batch.BatchPolicy;
import io.streamsgd.core.spec.SpecFingerprint;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.job.config.MissingSpecPolicy;
import io.streamsgd.job.source.DeadLetterCounters;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.spec.SpecBroadcast;
import io.streamsgd.job.state.LearnerStateSerializer;
import io.streamsgd.job.state.OpenBatchSerializer;
import io.streamsgd.job.state.SampleSerializer;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed trainer: one instance per subtask, one state slot per model id.
 *
 * <p>Per sample it appends to the model's open batch (list state) and updates the batch's small
 * bookkeeping; when the batch policy closes the batch it reads the model state once, applies
 * the minibatch step (prequential scoring, gradient, optimizer), writes the state once and
 * emits a whole {@link ModelUpdate} with the next version. Specs arrive as broadcast state.
 *
 * <p>Timers: a processing-time timer enforces the latency bound; an event-time timer at the
 * end of time flushes open batches when a bounded input ends; a processing-time poll timer
 * re-checks for a spec while samples wait for one.
 */
public final class MinibatchTrainer extends KeyedBroadcastProcessFunction<String, Sample, ModelSpec, ModelUpdate>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MinibatchTrainer.class);
  private static final long END_OF_INPUT = Long.MAX_VALUE;

  private final MissingSpecPolicy missingSpec;
  private final String defaultSpecJson;
  private final long specPollMillis;
  private final boolean exactlyOnce;

  private transient ValueState<LearnerState> modelState;
  private transient ListState<Sample> batchState;
  private transient ValueState<OpenBatch> batchMetaState;
  private transient ModelSpec defaultSpec;
  private transient long lastCheckpointId;
  private transient DeadLetterCounters deadLetters;
  private transient Counter samplesTrained;
  private transient Counter batchesApplied;
  private transient Counter specsRefused;

  public MinibatchTrainer(MissingSpecPolicy missingSpec, String defaultSpecJson, long specPollMillis, boolean exactlyOnce) {
    if (missingSpec == MissingSpecPolicy.DEFAULT && defaultSpecJson == null) {
      throw new IllegalArgumentException("missing-spec policy DEFAULT needs a default spec");
    }
    this.missingSpec = missingSpec;
    this.defaultSpecJson = defaultSpecJson;
    this.specPollMillis = specPollMillis;
    this.exactlyOnce = exactlyOnce;
  }

  /** State descriptors, shared with tools that read or bootstrap the trainer's state. */
  public static ValueStateDescriptor<LearnerState> modelStateDescriptor() {
    return new ValueStateDescriptor<>("model", new LearnerStateSerializer());
  }

  public static ListStateDescriptor<Sample> openBatchDescriptor() {
    return new ListStateDescriptor<>("open-batch", new SampleSerializer());
  }

  public static ValueStateDescriptor<OpenBatch> openBatchMetaDescriptor() {
    return new ValueStateDescriptor<>("open-batch-meta", new OpenBatchSerializer());
  }

  @Override
  public void open(OpenContext openContext) {
    modelState = getRuntimeContext().getState(modelStateDescriptor());
    batchState = getRuntimeContext().getListState(openBatchDescriptor());
    batchMetaState = getRuntimeContext().getState(openBatchMetaDescriptor());
    defaultSpec = defaultSpecJson == null ? null : ModelSpecJson.parse(defaultSpecJson);
    var group = getRuntimeContext().getMetricGroup();
    deadLetters = new DeadLetterCounters(group);
    samplesTrained = group.addGroup("streamsgd").counter("samplesTrained");
    batchesApplied = group.addGroup("streamsgd").counter("batchesApplied");
    specsRefused = group.addGroup("streamsgd").counter("specsRefused");
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    lastCheckpointId = context.getCheckpointId();
  }

  @Override
  public void processBroadcastElement(ModelSpec spec, Context ctx, Collector<ModelUpdate> out) throws Exception {
    ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR).put(spec.getModelId(), spec);
  }

  @Override
  public void processElement(Sample sample, ReadOnlyContext ctx, Collector<ModelUpdate> out) throws Exception {
    ModelSpec spec = specFor(ctx.getCurrentKey(), ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR));
    if (spec == null && missingSpec == MissingSpecPolicy.DEAD_LETTER) {
      reject(ctx, sample, new Rejection(DeadLetterReason.NO_SPEC, "no spec for model " + sample.modelId()));
      return;
    }
    if (spec != null) {
      SampleValidator.Fitted fitted = SampleValidator.fit(sample, spec);
      if (fitted.rejection() != null) {
        reject(ctx, sample, fitted.rejection());
        return;
      }
      sample = fitted.sample();
    }
    OpenBatch meta = batchMetaState.value();
    if (meta == null) {
      meta = new OpenBatch();
    }
    batchState.add(sample);
    meta.count++;
    long now = ctx.timerService().currentProcessingTime();
    if (meta.count == 1) {
      meta.openedAt = now;
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      if (spec == null) {
        meta.specPollTimer = now + specPollMillis;
        ctx.timerService().registerProcessingTimeTimer(meta.specPollTimer);
      } else {
        armLatencyTimer(ctx, meta, BatchPolicy.of(spec.getBatch()));
      }
    }
    if (spec != null && meta.specPollTimer < 0 && BatchPolicy.of(spec.getBatch()).closesAtCount(meta.count)) {
      closeBatch(ctx, out, meta, spec, BatchCloseReason.SIZE);
    } else {
      batchMetaState.update(meta);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) throws Exception {
    OpenBatch meta = batchMetaState.value();
    if (meta == null || meta.count == 0) {
      return;
    }
    ModelSpec spec = specFor(ctx.getCurrentKey(), ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR));
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      if (timestamp == END_OF_INPUT) {
        if (spec == null) {
          rejectWaiting(ctx, "input ended before a spec arrived for model " + ctx.getCurrentKey());
        } else {
          closeBatch(ctx, out, meta, spec, BatchCloseReason.END_OF_INPUT);
        }
      }
      return;
    }
    if (timestamp == meta.specPollTimer) {
      if (spec == null) {
        meta.specPollTimer = timestamp + specPollMillis;
        ctx.timerService().registerProcessingTimeTimer(meta.specPollTimer);
        batchMetaState.update(meta);
        return;
      }
      meta.specPollTimer = -1;
      closeBatch(ctx, out, meta, spec, BatchCloseReason.SIZE);
    } else if (timestamp == meta.latencyTimer && spec != null) {
      closeBatch(ctx, out, meta, spec, BatchCloseReason.LATENCY);
    }
  }

  private void armLatencyTimer(ReadOnlyContext ctx, OpenBatch meta, BatchPolicy policy) {
    long latency = policy.maxLatencyMillis();
    if (latency > 0) {
      // Measured from the oldest sample in the batch, which may have waited for its spec.
      meta.latencyTimer = Math.max(meta.openedAt + latency, ctx.timerService().currentProcessingTime() + 1);
      ctx.timerService().registerProcessingTimeTimer(meta.latencyTimer);
    }
  }

  /**
   * Closes the open batch: reads the model state once, applies the batch, writes the state once
   * and emits one update per applied batch. Samples that piled up while waiting for a spec are
   * cut into batches the policy would have closed; with {@code reason} SIZE a last, partial
   * batch stays open, otherwise (latency, end of input) it is applied too.
   */
  private void closeBatch(ReadOnlyContext ctx, Collector<ModelUpdate> out, OpenBatch meta, ModelSpec spec, BatchCloseReason reason)
      throws Exception {
    List<Sample> samples = new ArrayList<>(meta.count);
    for (Sample s : batchState.get()) {
      samples.add(s);
    }
    if (meta.latencyTimer >= 0) {
      ctx.timerService().deleteProcessingTimeTimer(meta.latencyTimer);
      meta.latencyTimer = -1;
    }

    if (!spec.getModelId().equals(ctx.getCurrentKey())) {
      spec = ModelSpec.newBuilder(spec).setModelId(ctx.getCurrentKey()).build(); // the job's default spec
    }
    LearnerState state = modelState.value();
    if (state == null) {
      state = LearnerState.initial(spec);
    } else if (state.specFingerprint() != SpecFingerprint.of(spec)) {
      adoptSpec(state, spec);
    }
    List<Sample> valid = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      SampleValidator.Fitted fitted = SampleValidator.fit(s, state.spec());
      if (fitted.rejection() == null) {
        valid.add(fitted.sample());
      } else {
        reject(ctx, s, fitted.rejection());
      }
    }
    BatchPolicy policy = BatchPolicy.of(state.spec().getBatch());
    int from = 0;
    boolean applied = false;
    while (from < valid.size()) {
      int to = from + 1;
      while (to < valid.size() && !policy.closesAtCount(to - from)) {
        to++;
      }
      boolean full = policy.closesAtCount(to - from);
      if (!full && reason == BatchCloseReason.SIZE) {
        break; // a partial batch stays open
      }
      List<Sample> batch = valid.subList(from, to);
      BatchResult result = MinibatchUpdate.apply(state, batch);
      BatchCloseReason why = full ? BatchCloseReason.SIZE : reason;
      long now = ctx.timerService().currentProcessingTime();
      out.collect(ModelUpdates.snapshot(state, result, why, exactlyOnce ? lastCheckpointId + 1 : null, now));
      samplesTrained.inc(batch.size());
      batchesApplied.inc();
      applied = true;
      from = to;
    }
    if (applied) {
      modelState.update(state);
    }
    List<Sample> remainder = valid.subList(from, valid.size());
    if (remainder.isEmpty()) {
      batchState.clear();
      batchMetaState.clear();
    } else {
      batchState.update(new ArrayList<>(remainder));
      meta.count = remainder.size();
      armLatencyTimer(ctx, meta, policy);
      batchMetaState.update(meta);
    }
  }

  private void adoptSpec(LearnerState state, ModelSpec spec) {
    try {
      state.adopt(spec);
      LOG.info("Model {} adopts a new spec from version {}", spec.getModelId(), state.version() + 1);
    } catch (IllegalArgumentException e) {
      specsRefused.inc();
      LOG.warn("Model {} keeps its spec: {}", spec.getModelId(), e.getMessage());
    }
  }

  private void rejectWaiting(ReadOnlyContext ctx, String detail) throws Exception {
    for (Sample s : batchState.get()) {
      reject(ctx, s, new Rejection(DeadLetterReason.NO_SPEC, detail));
    }
    batchState.clear();
    batchMetaState.clear();
  }

  private void reject(ReadOnlyContext ctx, Sample sample, Rejection rejection) {
    deadLetters.count(rejection.reason());
    ctx.output(DeadLetters.TAG, DeadLetters.of(sample, rejection));
  }

  /**
   * The model's spec from the broadcast state; else the job's default spec (shared, with its own
   * model id: {@link #closeBatch} gives it the model's id), or null to wait.
   */
  private ModelSpec specFor(String modelId, ReadOnlyBroadcastState<String, ModelSpec> specs) throws Exception {
    ModelSpec spec = specs.get(modelId);
    return spec == null && missingSpec == MissingSpecPolicy.DEFAULT ? defaultSpec : spec;
  }
}
