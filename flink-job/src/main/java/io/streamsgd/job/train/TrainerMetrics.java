package io.streamsgd.job.train;

import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.DriftEventKind;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The trainer's Flink metrics, in the operator's {@code streamsgd} group. Their number does not
 * grow with the number of models: per-model gauges exist only for the opt-in list of model ids
 * ({@code streamsgd.metrics.model-ids}), under a {@code model_id} group.
 */
final class TrainerMetrics {
  private static final int HISTOGRAM_WINDOW = 1000;

  final Counter samplesTrained;
  final Counter batchesApplied;
  final Counter lineagesStarted;
  final Counter batchTestsEvaluated;

  /** Batches whose update the divergence guard refused (published with the previous parameters). */
  final Counter divergenceRejections;

  private final Histogram batchSize;
  private final Histogram updateLatencyMillis;
  private final Histogram updateEventTimeLagMillis;
  private final ModelCensus census;
  private final MetricGroup group;
  private final Map<DriftEventKind, Counter> driftEvents = new EnumMap<>(DriftEventKind.class);
  private final Set<String> watched;
  private final Map<String, WatchedModel> watchedHeld = new HashMap<>();

  TrainerMetrics(MetricGroup operatorGroup, ModelCensus census, Set<String> watchedModelIds) {
    this.group = operatorGroup.addGroup("streamsgd");
    this.census = census;
    this.watched = watchedModelIds;
    samplesTrained = group.counter("samplesTrained");
    batchesApplied = group.counter("batchesApplied");
    lineagesStarted = group.counter("lineagesStarted");
    batchTestsEvaluated = group.counter("batchTestsEvaluated");
    divergenceRejections = group.counter("divergenceRejections");
    batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    updateLatencyMillis =
        group.histogram(
            "updateLatencyMillis", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    updateEventTimeLagMillis =
        group.histogram(
            "updateEventTimeLagMillis", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    for (DriftEventKind kind : DriftEventKind.values()) {
      driftEvents.put(kind, group.addGroup("driftEvent", kind.name()).counter("driftEvents"));
    }
    group.gauge("modelsHeld", census::models);
    group.gauge("modelStateBytes", census::bytes);
  }

  /** A model's drift watch reported {@code kind}. */
  void driftEvent(DriftEventKind kind) {
    driftEvents.get(kind).inc();
  }

  /**
   * A batch's update was emitted. {@code openedAt} is the processing time its first sample arrived,
   * {@code now} that of the emission; {@code bytesBefore} the state's estimate before the batch (0
   * for a new model).
   */
  void updateEmitted(
      String modelId,
      LearnerState state,
      BatchResult result,
      long bytesBefore,
      long openedAt,
      long now) {
    samplesTrained.inc(result.size());
    batchSize.update(result.size());
    if (result.applied()) {
      batchesApplied.inc();
    } else {
      divergenceRejections.inc();
    }
    updateLatencyMillis.update(Math.max(0, now - openedAt));
    updateEventTimeLagMillis.update(Math.max(0, now - result.eventTimeMax()));
    census.written(modelId, bytesBefore, ModelCensus.estimateBytes(state));
    if (!watched.isEmpty() && watched.contains(modelId)) {
      watchedHeld.computeIfAbsent(modelId, this::register).set(state, result.size());
    }
  }

  /**
   * Gauges of one opt-in model, registered by the subtask that trains it, at its first update
   * there.
   */
  private WatchedModel register(String modelId) {
    WatchedModel m = new WatchedModel();
    MetricGroup model = group.addGroup("model_id", modelId);
    model.gauge("version", () -> m.version);
    model.gauge("samplesSeen", () -> m.samplesSeen);
    model.gauge("meanLoss", () -> m.meanLoss);
    model.gauge("lastBatchSize", () -> m.lastBatchSize);
    return m;
  }

  /** The latest values of one opt-in model; written by the task thread, read by reporters. */
  private static final class WatchedModel {
    volatile long version;
    volatile long samplesSeen;
    volatile double meanLoss = Double.NaN;
    volatile int lastBatchSize;

    void set(LearnerState state, int batchSize) {
      version = state.version();
      samplesSeen = state.samplesSeen();
      meanLoss = state.metrics().meanLoss();
      lastBatchSize = batchSize;
    }
  }
}
