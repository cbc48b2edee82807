package io.streamsgd.bench.experiment;

import io.streamsgd.core.train.BatchReplay;
import io.streamsgd.core.train.DriftWatch;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DriftEventKind;
import io.streamsgd.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One model trained over a stream exactly as the trainer trains it ({@link BatchReplay}: the
 * trainer's batching rule and minibatch step, drift watch included), recording each batch's
 * prequential loss and every drift event.
 */
final class DriftRun {
  final String name;
  final LossTrace loss = new LossTrace();
  final List<DriftWatch.Event> events = new ArrayList<>();

  /** Samples the background models learnt from: what BACKGROUND cost on top of the model. */
  long backgroundSamples;

  private boolean hadBackground; // after the last batch

  private DriftRun(String name) {
    this.name = name;
  }

  static DriftRun of(String name, ModelSpec spec, List<Sample> stream) {
    DriftRun run = new DriftRun(name);
    BatchReplay.run(
        spec,
        stream,
        true,
        (state, size, reason, result) -> {
          run.loss.add(size, result.weightSum(), result.lossSum());
          run.events.addAll(result.driftEvents());
          // A background that outlived the last batch learnt this one, unless this batch opened
          // with its promotion (then the model itself learnt it).
          boolean promoted =
              result.driftEvents().stream()
                  .anyMatch(e -> e.kind() == DriftEventKind.BACKGROUND_PROMOTED);
          if (run.hadBackground && !promoted) {
            run.backgroundSamples += size;
          }
          run.hadBackground = state.drift() != null && state.drift().background() != null;
        });
    return run;
  }

  /** 1-based positions of the samples at which the detector signalled a drift. */
  List<Long> drifts() {
    return positions(DriftEventKind.DRIFT);
  }

  List<Long> positions(DriftEventKind kind) {
    return events.stream().filter(e -> e.kind() == kind).map(DriftWatch.Event::sample).toList();
  }

  /** How often the model was replaced: "resets / promotions". */
  String replacements() {
    return positions(DriftEventKind.RESET).size()
        + " / "
        + positions(DriftEventKind.BACKGROUND_PROMOTED).size();
  }
}
