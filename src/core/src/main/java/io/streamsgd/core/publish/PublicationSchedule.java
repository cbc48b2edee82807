package io.streamsgd.core.publish;

import io.streamsgd.schema.PublicationPolicySpec;
import io.streamsgd.schema.TimeDomain;

/**
 * When a model is published, apart from when it is updated: after every n-th update, and once a
 * time has passed since the last publication. Versions count updates, so the decision depends only
 * on the version and on time; count schedules, and event-time ones decided at an update, publish
 * the same versions in every replay.
 */
public record PublicationSchedule(int everyUpdates, long everyMs, boolean eventTime) {

  /** After every update: today's default, and what every spec without a policy gets. */
  public static final PublicationSchedule EVERY_UPDATE = new PublicationSchedule(1, 0, true);

  public static PublicationSchedule of(PublicationPolicySpec spec) {
    return new PublicationSchedule(
        spec.getEveryUpdates(), spec.getEveryMs(), spec.getTimeDomain() == TimeDomain.EVENT_TIME);
  }

  /** Whether every update is published (no bookkeeping needed). */
  public boolean everyUpdate() {
    return everyUpdates == 1;
  }

  /**
   * Whether update {@code version}, made at {@code time} (in the schedule's domain), is published,
   * given the last publication.
   */
  public boolean due(long version, long lastVersion, long time, long lastTime) {
    if (version % everyUpdates == 0) {
      return true;
    }
    // With a time bound the first update is published at once: a new model is visible promptly.
    return everyMs > 0 && version > lastVersion && (lastVersion == 0 || time - lastTime >= everyMs);
  }

  /** When an unpublished update becomes due by time, or -1 when the schedule has no time bound. */
  public long deadline(long lastTime) {
    return everyMs > 0 ? lastTime + everyMs : -1;
  }
}
