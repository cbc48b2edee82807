package io.streamsgd.core.train;

import io.streamsgd.core.drift.Adwin;
import io.streamsgd.core.drift.DriftDetector;
import io.streamsgd.core.drift.DriftSignal;
import io.streamsgd.core.drift.DriftSpecs;
import io.streamsgd.schema.DriftEventKind;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSignalSource;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.DriftStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A model's concept-drift detection and reaction (its spec's {@link DriftSpec}). The detector sees
 * every sample's prequential loss or 0/1 error in stream order, as the batch is scored. The model
 * changes only between batches: the version whose batch showed the drift is published as learnt
 * (its status says drift), and the reaction opens the next batch, the first version of a new
 * lineage: a reset starts it from zero, a promotion from the background model (started at a
 * warning, trained on the same batches since). A background model is dropped when the warning
 * clears. Everything here is part of the model's state, so a replay gives the same detections and
 * reactions at the same samples.
 */
public final class DriftWatch {
  /** Something the detector saw or the model did, for the model-events topic. */
  public record Event(DriftEventKind kind, long sample, long eventTime, double fadedLoss) {}

  private final DriftDetector detector;
  private boolean warning;
  private long warnings;
  private long drifts;
  private long lastDriftSample;
  private LearnerState background; // null: none
  private long backgroundSamples;
  private boolean reactionDue; // a drift was found: the next batch starts a new lineage

  // The batch being applied: what changed in it. Drained by afterBatch, so never in a checkpoint.
  private final List<Event> events = new ArrayList<>();
  private boolean driftInBatch;

  public DriftWatch(
      DriftDetector detector,
      boolean warning,
      long warnings,
      long drifts,
      long lastDriftSample,
      LearnerState background,
      long backgroundSamples,
      boolean reactionDue) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.warning = warning;
    this.warnings = warnings;
    this.drifts = drifts;
    this.lastDriftSample = lastDriftSample;
    this.background = background;
    this.backgroundSamples = backgroundSamples;
    this.reactionDue = reactionDue;
  }

  /** A watch that has seen nothing, as {@code spec} asks; null for a null spec. */
  public static DriftWatch of(DriftSpec spec) {
    return spec == null
        ? null
        : new DriftWatch(DriftSpecs.detector(spec), false, 0, 0, 0, null, 0, false);
  }

  /**
   * One sample, scored before the update.
   *
   * @param sample its 1-based position in the model's stream
   */
  void observe(
      DriftSpec spec, double loss, boolean correct, long sample, long eventTime, double fadedLoss) {
    double value = spec.getSignal() == DriftSignalSource.ERROR ? (correct ? 0.0 : 1.0) : loss;
    if (!Double.isFinite(value)) {
      return; // a loss that overflowed: the divergence guard's business, not a drift signal
    }
    // ADWIN finds changes both ways; a window that drops its older part for a lower mean is a
    // model getting better (as it does while it learns), not a drift to react to.
    double before = detector instanceof Adwin adwin ? adwin.estimation() : Double.NaN;
    DriftSignal signal = detector.update(value);
    if (signal == DriftSignal.DRIFT
        && detector instanceof Adwin adwin
        && adwin.estimation() < before) {
      events.add(new Event(DriftEventKind.IMPROVED, sample, eventTime, fadedLoss));
    } else if (signal == DriftSignal.DRIFT) {
      drifts++;
      lastDriftSample = sample;
      driftInBatch = true;
      warning = false;
      events.add(new Event(DriftEventKind.DRIFT, sample, eventTime, fadedLoss));
    } else if (signal == DriftSignal.WARNING && !warning) {
      warning = true;
      warnings++;
      events.add(new Event(DriftEventKind.WARNING, sample, eventTime, fadedLoss));
    } else if (signal == DriftSignal.STABLE && warning) {
      warning = false;
      events.add(new Event(DriftEventKind.WARNING_CLEARED, sample, eventTime, fadedLoss));
    }
  }

  /**
   * Before {@code state} scores {@code batch}: the reaction to a drift the previous batch showed,
   * so this batch is the first of the new lineage. Returns its events.
   */
  List<Event> beforeBatch(LearnerState state, List<Sample> batch) {
    if (!reactionDue) {
      return List.of();
    }
    reactionDue = false;
    long first = state.samplesSeen() + 1;
    long firstTime = batch.get(0).eventTime();
    double faded = state.metrics().fadedLoss();
    Event event;
    if (background != null && background.samplesSeen() > 0) {
      state.promote(background);
      event = new Event(DriftEventKind.BACKGROUND_PROMOTED, first, firstTime, faded);
    } else {
      state.startLineage();
      event = new Event(DriftEventKind.RESET, first, firstTime, faded);
    }
    background = null;
    backgroundSamples = 0;
    return List.of(event);
  }

  /**
   * After {@code state} applied {@code batch}: the background model learns from it; a drift makes
   * the next batch react (but under REPORT), a warning starts a background model (under
   * BACKGROUND), a cleared one drops it. Returns the batch's events, in order.
   */
  List<Event> afterBatch(LearnerState state, List<Sample> batch) {
    return afterBatch(state, batch.get(batch.size() - 1).eventTime(), batch);
  }

  /**
   * As {@link #afterBatch(LearnerState, List)} for a batch whose last sample has event time {@code
   * lastTime}; {@code batch} may be null when no background model can need it (under REPORT).
   */
  List<Event> afterBatch(LearnerState state, long lastTime, List<Sample> batch) {
    DriftSpec spec = state.spec().getDrift();
    long last = state.samplesSeen();
    double faded = state.metrics().fadedLoss();
    if (background != null) {
      if (batch == null) {
        throw new IllegalStateException("a background model learns from the batch's samples");
      }
      MinibatchUpdate.apply(background, batch);
      backgroundSamples += batch.size();
    }
    DriftReaction reaction = spec.getReaction();
    if (driftInBatch && reaction != DriftReaction.REPORT) {
      reactionDue = true; // the background, if any, has learnt this batch too: it is promoted
    } else if (reaction == DriftReaction.BACKGROUND && warning && background == null) {
      // It learns from the next batch on: this one's update is already the model's.
      background = LearnerState.initial(state.spec(), state.compiled(), state.isSparse());
      background.setDrift(null);
      events.add(new Event(DriftEventKind.BACKGROUND_STARTED, last, lastTime, faded));
    } else if (!warning && background != null && !reactionDue) {
      background = null;
      backgroundSamples = 0;
      events.add(new Event(DriftEventKind.BACKGROUND_DROPPED, last, lastTime, faded));
    }
    driftInBatch = false;
    List<Event> out = List.copyOf(events);
    events.clear();
    return out;
  }

  /** Whether the next batch starts a new lineage (a drift was found in the last one). */
  public boolean reactionDue() {
    return reactionDue;
  }

  /** Where the watch stands, as an update publishes it. */
  public DriftStatus status(DriftSpec spec) {
    return DriftStatus.newBuilder()
        .setDetector(spec.getDetector())
        .setReaction(spec.getReaction())
        .setWarning(warning)
        .setWarnings(warnings)
        .setDrifts(drifts)
        .setLastDriftSample(lastDriftSample)
        .setBackgroundSamples(backgroundSamples)
        .build();
  }

  public DriftDetector detector() {
    return detector;
  }

  public boolean warning() {
    return warning;
  }

  public long warnings() {
    return warnings;
  }

  public long drifts() {
    return drifts;
  }

  public long lastDriftSample() {
    return lastDriftSample;
  }

  /** The background model, or null. */
  public LearnerState background() {
    return background;
  }

  public long backgroundSamples() {
    return backgroundSamples;
  }

  public DriftWatch copy() {
    try {
      return new DriftWatch(
          DriftDetector.fromBytes(detector.toBytes()),
          warning,
          warnings,
          drifts,
          lastDriftSample,
          background == null ? null : background.copy(),
          backgroundSamples,
          reactionDue);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a detector could not read its own state", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftWatch w
        && warning == w.warning
        && warnings == w.warnings
        && drifts == w.drifts
        && lastDriftSample == w.lastDriftSample
        && backgroundSamples == w.backgroundSamples
        && reactionDue == w.reactionDue
        && Objects.equals(background, w.background)
        && Arrays.equals(detector.toBytes(), w.detector.toBytes());
  }

  @Override
  public int hashCode() {
    return Objects.hash(warnings, drifts, lastDriftSample);
  }
}
