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
 * every sample's prequential loss or 0/1 error in stream order, as the batch is scored; the
 * reaction takes place after the batch's update, where the model may change: a reset starts a new
 * lineage from zero, a background model (started at a warning, trained on the same batches) is
 * promoted at a drift or dropped when the warning clears. Everything here is part of the model's
 * state, so a replay gives the same detections and reactions at the same samples.
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
      long backgroundSamples) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.warning = warning;
    this.warnings = warnings;
    this.drifts = drifts;
    this.lastDriftSample = lastDriftSample;
    this.background = background;
    this.backgroundSamples = backgroundSamples;
  }

  /** A watch that has seen nothing, as {@code spec} asks; null for a null spec. */
  public static DriftWatch of(DriftSpec spec) {
    return spec == null ? null : new DriftWatch(DriftSpecs.detector(spec), false, 0, 0, 0, null, 0);
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
   * After {@code state} applied {@code batch}: the background model learns from it, then the
   * reaction to what the batch showed. Returns the batch's events, in order.
   */
  List<Event> afterBatch(LearnerState state, List<Sample> batch) {
    DriftSpec spec = state.spec().getDrift();
    long last = state.samplesSeen();
    long lastTime = batch.get(batch.size() - 1).eventTime();
    double faded = state.metrics().fadedLoss();
    if (background != null) {
      MinibatchUpdate.apply(background, batch);
      backgroundSamples += batch.size();
    }
    DriftReaction reaction = spec.getReaction();
    if (driftInBatch && reaction != DriftReaction.REPORT) {
      if (background != null && background.samplesSeen() > 0) {
        state.promote(background);
        events.add(new Event(DriftEventKind.BACKGROUND_PROMOTED, last, lastTime, faded));
      } else {
        state.startLineage();
        events.add(new Event(DriftEventKind.RESET, last, lastTime, faded));
      }
      background = null;
      backgroundSamples = 0;
    } else if (reaction == DriftReaction.BACKGROUND && warning && background == null) {
      // It learns from the next batch on: this one's update is already the model's.
      background = LearnerState.initial(state.spec(), state.compiled(), state.isSparse());
      background.setDrift(null);
      events.add(new Event(DriftEventKind.BACKGROUND_STARTED, last, lastTime, faded));
    } else if (!warning && background != null) {
      background = null;
      backgroundSamples = 0;
      events.add(new Event(DriftEventKind.BACKGROUND_DROPPED, last, lastTime, faded));
    }
    driftInBatch = false;
    List<Event> out = List.copyOf(events);
    events.clear();
    return out;
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
          backgroundSamples);
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
        && Objects.equals(background, w.background)
        && Arrays.equals(detector.toBytes(), w.detector.toBytes());
  }

  @Override
  public int hashCode() {
    return Objects.hash(warnings, drifts, lastDriftSample);
  }
}
