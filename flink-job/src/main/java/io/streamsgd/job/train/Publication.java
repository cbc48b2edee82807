package io.streamsgd.job.train;

import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.publish.PublicationSchedule;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import java.util.function.LongSupplier;
import org.apache.flink.streaming.api.TimerService;

/**
 * When a model's updates are published. By default every update is (no bookkeeping, no state read).
 * Under a schedule ({@link PublicationSchedule}: every n-th update, and once a time has passed
 * since the last publication) an update that is not due is remembered in the model's {@link
 * PublicationMark}, and published later: at its deadline by a timer (a model that goes quiet still
 * shows its latest state), at the end of input, or superseded by the next due update. Versions
 * count updates, so every published version's parameters equal those of the same version in any
 * other run.
 */
final class Publication {
  private final TrainerState state;
  private final boolean exactlyOnce;
  private final LongSupplier lastCheckpointId;

  Publication(TrainerState state, boolean exactlyOnce, LongSupplier lastCheckpointId) {
    this.state = state;
    this.exactlyOnce = exactlyOnce;
    this.lastCheckpointId = lastCheckpointId;
  }

  /**
   * After {@code learner} made an update: publishes it when due, else remembers it. Refused batches
   * and the end of input are always published.
   */
  void afterUpdate(
      LearnerState learner, BatchResult result, BatchCloseReason reason, ModelCall call)
      throws Exception {
    PublicationSchedule schedule = learner.compiled().publication();
    if (schedule.everyUpdate()) {
      publish(learner, result, reason, call);
      return;
    }
    PublicationMark mark = state.publication.value();
    if (mark == null) {
      mark = new PublicationMark();
    }
    long time = schedule.eventTime() ? result.eventTimeMax() : call.now();
    long version = learner.version();
    if (!result.applied()
        || reason == BatchCloseReason.END_OF_INPUT
        || schedule.due(version, mark.lastVersion, time, mark.lastTime)) {
      publish(learner, result, reason, call);
      mark.published(version, time);
      cancelTimer(mark, call.timers());
    } else {
      mark.pending(version, result, reason);
      long deadline = schedule.deadline(mark.lastVersion == 0 ? time : mark.lastTime);
      if (deadline >= 0 && mark.timer < 0) {
        mark.timer = deadline;
        mark.timerInEventTime = schedule.eventTime();
        if (schedule.eventTime()) {
          call.timers().registerEventTimeTimer(deadline);
        } else {
          call.timers().registerProcessingTimeTimer(deadline);
        }
      }
    }
    state.publication.update(mark);
  }

  /**
   * A timer fired: on this model's publication timer, or at the end of input, publishes its pending
   * update (the latest one not published yet). Any other timer is not this part's.
   */
  void onTimer(long timestamp, boolean eventTime, boolean endOfInput, ModelCall call)
      throws Exception {
    PublicationMark mark = state.publication.value();
    if (mark == null) {
      return;
    }
    boolean own = mark.timer >= 0 && timestamp == mark.timer && eventTime == mark.timerInEventTime;
    if (!own && !endOfInput) {
      return;
    }
    if (own) {
      mark.timer = -1;
    }
    if (mark.pending()) {
      LearnerState learner = state.store.value();
      // The pending update is the model's latest, unless the spec has since dropped its schedule
      // and published every newer version already.
      if (learner.version() == mark.pendingVersion) {
        publish(learner, mark.pendingBatch(), mark.pendingReason, call);
      }
      // Event time: the deadline itself, so the next deadline follows from the samples' time.
      mark.published(mark.pendingVersion, eventTime ? timestamp : call.now());
    }
    state.publication.update(mark);
  }

  private static void cancelTimer(PublicationMark mark, TimerService t) {
    if (mark.timer >= 0) {
      if (mark.timerInEventTime) {
        t.deleteEventTimeTimer(mark.timer);
      } else {
        t.deleteProcessingTimeTimer(mark.timer);
      }
      mark.timer = -1;
    }
  }

  private void publish(
      LearnerState learner, BatchResult result, BatchCloseReason reason, ModelCall call)
      throws Exception {
    call.publish(
        ModelUpdates.snapshot(
            learner,
            state.store.published(learner),
            result,
            reason,
            exactlyOnce ? lastCheckpointId.getAsLong() + 1 : null,
            call.now()));
  }
}
