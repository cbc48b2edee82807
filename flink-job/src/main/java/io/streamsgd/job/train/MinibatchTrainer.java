package io.streamsgd.job.train;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.batch.BatchCutter;
import io.streamsgd.core.batch.BatchPolicy;
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
import io.streamsgd.schema.TimeDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed trainer: one instance per subtask, one state slot per model id.
 *
 * <p>Per sample it appends to the model's open batch (list state) and updates the batch's small
 * bookkeeping; when the batch policy closes the batch it reads the model state once, applies the
 * minibatch step (prequential scoring, gradient, optimizer), writes the state once and emits a
 * whole {@link ModelUpdate} with the next version. Specs arrive as broadcast state. Adaptive
 * policies also read the model state at their test points, a few times per batch.
 *
 * <p>Timers: the latency bound is a processing-time timer, or in event time the batch's end
 * boundary (a sample past it, or a watermark past it, closes the batch); an event-time timer at the
 * end of time flushes open batches when a bounded input ends; a processing-time poll timer
 * re-checks for a spec while samples wait for one (they are then trained in arrival order, their
 * batches opening when the spec arrives).
 */
public final class MinibatchTrainer
    extends KeyedBroadcastProcessFunction<String, Sample, ModelSpec, ModelUpdate>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MinibatchTrainer.class);
  private static final long END_OF_INPUT = Long.MAX_VALUE;

  private final MissingSpecPolicy missingSpec;
  private final String defaultSpecJson;
  private final long specPollMillis;
  private final boolean exactlyOnce;
  private final Set<String> watchedModelIds;

  private transient ValueState<LearnerState> modelState;
  private transient ListState<Sample> batchState;
  private transient ValueState<OpenBatch> batchMetaState;
  private transient ModelSpec defaultSpec;
  private transient SpecFingerprintCache fingerprints;
  private transient long lastCheckpointId;
  private transient DeadLetterCounters deadLetters;
  private transient TrainerMetrics metrics;
  private transient Counter lineagesStarted;
  private transient Counter testsEvaluated;
  private transient ListState<Tuple3<Integer, Long, Long>> censusState;
  private transient ModelCensus census;

  public MinibatchTrainer(
      MissingSpecPolicy missingSpec,
      String defaultSpecJson,
      long specPollMillis,
      boolean exactlyOnce) {
    this(missingSpec, defaultSpecJson, specPollMillis, exactlyOnce, Set.of());
  }

  /**
   * {@code watchedModelIds}: the models that get gauges of their own (see {@link TrainerMetrics}).
   */
  public MinibatchTrainer(
      MissingSpecPolicy missingSpec,
      String defaultSpecJson,
      long specPollMillis,
      boolean exactlyOnce,
      Set<String> watchedModelIds) {
    if (missingSpec == MissingSpecPolicy.DEFAULT && defaultSpecJson == null) {
      throw new IllegalArgumentException("missing-spec policy DEFAULT needs a default spec");
    }
    this.missingSpec = missingSpec;
    this.defaultSpecJson = defaultSpecJson;
    this.specPollMillis = specPollMillis;
    this.exactlyOnce = exactlyOnce;
    this.watchedModelIds = Set.copyOf(watchedModelIds);
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
  public void open(OpenContext openContext) throws Exception {
    modelState = getRuntimeContext().getState(modelStateDescriptor());
    batchState = getRuntimeContext().getListState(openBatchDescriptor());
    batchMetaState = getRuntimeContext().getState(openBatchMetaDescriptor());
    defaultSpec = defaultSpecJson == null ? null : ModelSpecJson.parse(defaultSpecJson);
    fingerprints = new SpecFingerprintCache();
    var group = getRuntimeContext().getMetricGroup();
    deadLetters = new DeadLetterCounters(group);
    var task = getRuntimeContext().getTaskInfo();
    census =
        new ModelCensus(
            task.getMaxNumberOfParallelSubtasks(),
            task.getNumberOfParallelSubtasks(),
            task.getIndexOfThisSubtask());
    census.restore(censusState.get());
    metrics = new TrainerMetrics(group, census, watchedModelIds);
    lineagesStarted = metrics.lineagesStarted;
    testsEvaluated = metrics.batchTestsEvaluated;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
    censusState = context.getOperatorStateStore().getUnionListState(ModelCensus.DESCRIPTOR);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    lastCheckpointId = context.getCheckpointId();
    censusState.update(census.snapshot());
  }

  @Override
  public void processBroadcastElement(ModelSpec spec, Context ctx, Collector<ModelUpdate> out)
      throws Exception {
    ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR).put(spec.getModelId(), spec);
  }

  @Override
  public void processElement(Sample sample, ReadOnlyContext ctx, Collector<ModelUpdate> out)
      throws Exception {
    ModelSpec spec = specFor(ctx.getCurrentKey(), ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR));
    if (spec != null) {
      OpenBatch meta = batchMetaState.value();
      if (meta != null && meta.specPollTimer >= 0) {
        // The spec came before the poll did: samples held for it go first, in their order.
        releaseHeld(meta, spec, meta.specPollTimer, ctx, out);
        meta = batchMetaState.value();
      }
      accept(sample, spec, meta, ctx, out);
    } else if (missingSpec == MissingSpecPolicy.DEAD_LETTER) {
      reject(
          ctx,
          sample,
          new Rejection(DeadLetterReason.NO_SPEC, "no spec for model " + sample.modelId()));
    } else {
      holdForSpec(sample, ctx);
    }
  }

  /**
   * A sample of a model with a spec: fit it, add it to the open batch, close the batch when due.
   */
  private void accept(
      Sample sample, ModelSpec spec, ReadOnlyContext ctx, Collector<ModelUpdate> out)
      throws Exception {
    accept(sample, spec, batchMetaState.value(), ctx, out);
  }

  /**
   * As above, with the open batch's bookkeeping already read: on RocksDB every read is a lookup.
   */
  private void accept(
      Sample sample,
      ModelSpec spec,
      OpenBatch meta,
      ReadOnlyContext ctx,
      Collector<ModelUpdate> out)
      throws Exception {
    SampleValidator.Fitted fitted = SampleValidator.fit(sample, spec);
    if (fitted.rejection() != null) {
      reject(ctx, sample, fitted.rejection());
      return;
    }
    sample = fitted.sample();
    BatchPolicy policy = BatchPolicy.of(spec.getBatch());
    if (meta == null) {
      meta = OpenBatch.next(policy.firstTarget());
    }
    boolean eventTimeBound =
        policy.timeDomain() == TimeDomain.EVENT_TIME && policy.maxLatencyMillis() > 0;
    if (meta.count > 0 && eventTimeBound && sample.eventTime() >= meta.eventBoundary) {
      // The batch spans [first event time, boundary): a sample past it closes it and opens the
      // next.
      meta = closeBatch(ctx, out, meta, spec, BatchCloseReason.LATENCY);
    }
    batchState.add(sample);
    meta.count++;
    if (meta.count == 1) {
      open(meta, sample, policy, ctx);
    }
    BatchCloseReason reason = closeReason(meta, policy, spec, ctx);
    if (reason != null) {
      closeBatch(ctx, out, meta, spec, reason);
    } else {
      batchMetaState.update(meta);
    }
  }

  private void open(OpenBatch meta, Sample first, BatchPolicy policy, ReadOnlyContext ctx) {
    long now = ctx.timerService().currentProcessingTime();
    meta.openedAt = now;
    meta.target = meta.target > 0 ? Math.min(meta.target, policy.maxSize()) : policy.firstTarget();
    meta.nextCheck = meta.target;
    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    long latency = policy.maxLatencyMillis();
    if (latency > 0 && policy.timeDomain() == TimeDomain.EVENT_TIME) {
      meta.eventBoundary = first.eventTime() + latency;
      ctx.timerService().registerEventTimeTimer(meta.eventBoundary);
    } else if (latency > 0) {
      meta.latencyTimer = now + latency;
      ctx.timerService().registerProcessingTimeTimer(meta.latencyTimer);
    }
  }

  /**
   * Whether the batch closes now (see {@link BatchCutter}); adaptive tests read the model state
   * once each.
   */
  private BatchCloseReason closeReason(
      OpenBatch meta, BatchPolicy policy, ModelSpec spec, ReadOnlyContext ctx) throws Exception {
    BatchCutter.Decision decision =
        BatchCutter.afterSample(
            policy,
            meta.count,
            meta.target,
            meta.nextCheck,
            () -> {
              testsEvaluated.inc();
              try {
                LearnerState state = modelState.value();
                return MinibatchUpdate.statistics(
                    state != null
                        ? state
                        : LearnerState.initial(forModel(spec, ctx.getCurrentKey())),
                    openBatch());
              } catch (Exception e) {
                throw new IllegalStateException(
                    "cannot read the state of model " + ctx.getCurrentKey(), e);
              }
            });
    meta.nextCheck = decision.nextCheck();
    return decision.close();
  }

  private List<Sample> openBatch() throws Exception {
    List<Sample> samples = new ArrayList<>();
    for (Sample s : batchState.get()) {
      samples.add(s);
    }
    return samples;
  }

  /** A sample of a model without a spec, in WAIT mode: held in the open batch, polled for. */
  private void holdForSpec(Sample sample, ReadOnlyContext ctx) throws Exception {
    OpenBatch meta = batchMetaState.value();
    if (meta == null) {
      meta = OpenBatch.next(0);
    }
    batchState.add(sample);
    meta.count++;
    if (meta.specPollTimer < 0) {
      meta.specPollTimer = ctx.timerService().currentProcessingTime() + specPollMillis;
      ctx.timerService().registerProcessingTimeTimer(meta.specPollTimer);
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    }
    batchMetaState.update(meta);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out)
      throws Exception {
    OpenBatch meta = batchMetaState.value();
    if (meta == null || meta.count == 0) {
      return;
    }
    ModelSpec spec = specFor(ctx.getCurrentKey(), ctx.getBroadcastState(SpecBroadcast.DESCRIPTOR));
    if (meta.specPollTimer >= 0) {
      if (timestamp == meta.specPollTimer || timestamp == END_OF_INPUT) {
        releaseHeld(meta, spec, timestamp, ctx, out);
      }
      return;
    }
    if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME) {
      if (timestamp == END_OF_INPUT) {
        closeBatch(ctx, out, meta, spec, BatchCloseReason.END_OF_INPUT);
      } else if (timestamp == meta.eventBoundary) {
        closeBatch(ctx, out, meta, spec, BatchCloseReason.LATENCY);
      }
    } else if (timestamp == meta.latencyTimer) {
      closeBatch(ctx, out, meta, spec, BatchCloseReason.LATENCY);
    }
  }

  /**
   * Samples held for a spec: trained in order once it is known, dead-lettered if input ends first.
   */
  private void releaseHeld(
      OpenBatch meta,
      ModelSpec spec,
      long timestamp,
      ReadOnlyContext ctx,
      Collector<ModelUpdate> out)
      throws Exception {
    List<Sample> held = openBatch();
    if (spec == null && timestamp == END_OF_INPUT) {
      for (Sample s : held) {
        reject(
            ctx,
            s,
            new Rejection(
                DeadLetterReason.NO_SPEC,
                "input ended before a spec arrived for model " + ctx.getCurrentKey()));
      }
      batchState.clear();
      batchMetaState.clear();
      return;
    }
    if (spec == null) {
      meta.specPollTimer = timestamp + specPollMillis;
      ctx.timerService().registerProcessingTimeTimer(meta.specPollTimer);
      batchMetaState.update(meta);
      return;
    }
    batchState.clear();
    ctx.timerService().deleteProcessingTimeTimer(meta.specPollTimer);
    LearnerState state = modelState.value();
    batchMetaState.update(
        OpenBatch.next(
            state == null ? 0 : state.batchTarget(BatchPolicy.of(state.spec().getBatch()))));
    for (Sample s : held) {
      accept(s, spec, ctx, out);
    }
    OpenBatch after = batchMetaState.value();
    if (timestamp == END_OF_INPUT && after != null && after.count > 0) {
      closeBatch(ctx, out, after, spec, BatchCloseReason.END_OF_INPUT);
    }
  }

  /**
   * Closes the open batch: reads the model state once, applies the batch as one minibatch, writes
   * the state once, emits the new version; returns the empty batch that aims at the next target.
   */
  private OpenBatch closeBatch(
      ReadOnlyContext ctx,
      Collector<ModelUpdate> out,
      OpenBatch meta,
      ModelSpec spec,
      BatchCloseReason reason)
      throws Exception {
    List<Sample> samples = openBatch();
    batchState.clear();
    if (meta.latencyTimer >= 0) {
      ctx.timerService().deleteProcessingTimeTimer(meta.latencyTimer);
    }
    if (meta.eventBoundary >= 0) {
      ctx.timerService().deleteEventTimeTimer(meta.eventBoundary);
    }
    String modelId = ctx.getCurrentKey();
    LearnerState state = modelState.value();
    long bytesBefore = ModelCensus.estimateBytes(state);
    if (state == null) {
      state = LearnerState.initial(forModel(spec, modelId));
    } else if (state.specFingerprint() != fingerprints.of(spec, modelId)) {
      adoptSpec(state, forModel(spec, modelId));
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
    if (!valid.isEmpty()) {
      BatchResult result = MinibatchUpdate.apply(state, valid);
      long now = ctx.timerService().currentProcessingTime();
      // A refused batch is published too (applied = false, the previous parameters): consumers
      // see the event at once, and versions stay contiguous.
      out.collect(
          ModelUpdates.snapshot(
              state, result, reason, exactlyOnce ? lastCheckpointId + 1 : null, now));
      metrics.updateEmitted(ctx.getCurrentKey(), state, result, bytesBefore, meta.openedAt, now);
      if (!result.applied()) {
        LOG.warn(
            "Model {} refused a diverging update (batch of {}); learning-rate scale now {}",
            ctx.getCurrentKey(),
            valid.size(),
            state.divergence().learningRateScale());
      }
      modelState.update(state);
    }
    OpenBatch next = OpenBatch.next(state.batchTarget(BatchPolicy.of(state.spec().getBatch())));
    batchMetaState.update(next);
    return next;
  }

  /** The job's default spec is shared; give it the model's id. */
  private static ModelSpec forModel(ModelSpec spec, String modelId) {
    return spec.getModelId().equals(modelId)
        ? spec
        : ModelSpec.newBuilder(spec).setModelId(modelId).build();
  }

  private void adoptSpec(LearnerState state, ModelSpec spec) {
    long from = state.version() + 1;
    if (state.adopt(spec)) {
      lineagesStarted.inc();
      LOG.warn(
          "Model {} got a spec of another shape: lineage {} starts from zero parameters at version {}",
          spec.getModelId(),
          state.lineage(),
          from);
    } else {
      LOG.info("Model {} adopts a new spec from version {}", spec.getModelId(), from);
    }
  }

  private void reject(ReadOnlyContext ctx, Sample sample, Rejection rejection) {
    deadLetters.count(rejection.reason());
    ctx.output(DeadLetters.TAG, DeadLetters.of(sample, rejection));
  }

  /**
   * The model's spec from the broadcast state; else the job's default spec (shared, with its own
   * model id: {@link #closeBatch} gives it the model's id), or null to wait.
   */
  private ModelSpec specFor(String modelId, ReadOnlyBroadcastState<String, ModelSpec> specs)
      throws Exception {
    ModelSpec spec = specs.get(modelId);
    return spec == null && missingSpec == MissingSpecPolicy.DEFAULT ? defaultSpec : spec;
  }
}
