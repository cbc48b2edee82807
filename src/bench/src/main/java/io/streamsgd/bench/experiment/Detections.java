package io.streamsgd.bench.experiment;

import java.util.List;

/**
 * Where a detector signalled drifts, against a stream's known change point. Positions are 1-based
 * sample positions, as drift events carry them; the change point {@code change} is the number of
 * samples drawn from the old concept, so sample {@code change + 1} is the first of the new one (the
 * first of the blend, for a gradual change).
 *
 * <p>Delays count as the detectors' own tests count them: samples from the first changed sample to
 * the one that signalled, so a drift signalled at the first changed sample has delay 0.
 */
record Detections(List<Long> drifts, long change) {
  Detections {
    drifts = List.copyOf(drifts);
  }

  /** Samples from the change to the first drift signalled after it; -1 if none was. */
  long delay() {
    for (long s : drifts) {
      if (s > change) {
        return s - (change + 1);
      }
    }
    return -1;
  }

  /** Drifts signalled at or before the last sample of the old concept. */
  int falseAlarms() {
    return (int) drifts.stream().filter(s -> s <= change).count();
  }

  /** Drifts signalled after the change (the first one and any that followed it). */
  int afterChange() {
    return drifts.size() - falseAlarms();
  }
}
