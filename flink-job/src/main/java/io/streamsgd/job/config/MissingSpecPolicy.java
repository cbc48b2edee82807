package io.streamsgd.job.config;

/** What the trainer does with samples of a model that has no spec on the model-specs topic. */
public enum MissingSpecPolicy {
  /** Hold them in the model's open batch until its spec arrives (they are never dropped). */
  WAIT,
  /** Train them under the job's default spec. */
  DEFAULT,
  /** Send them to the dead-letter topic with reason NO_SPEC. */
  DEAD_LETTER
}
