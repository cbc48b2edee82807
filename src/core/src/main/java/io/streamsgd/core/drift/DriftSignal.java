package io.streamsgd.core.drift;

/** What a {@link DriftDetector} says after one sample. */
public enum DriftSignal {
  /** No change seen. */
  STABLE,
  /** The statistic is in the warning zone: a change may be under way (DDM, EDDM only). */
  WARNING,
  /**
   * A change was detected at this sample. The detector starts over (ADWIN: from an empty window) on
   * the next sample, as River's detectors do.
   */
  DRIFT
}
