package io.streamsgd.job.train;

import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.source.DeadLetterCounters;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One call of the trainer for one model: its id, its timers and where its updates and dead letters
 * go. Rebound for every element and timer, so nothing is allocated per sample.
 */
final class ModelCall implements Consumer<DeadLetter> {
  private final DeadLetterCounters deadLetters;
  private KeyedCoProcessFunction<String, TrainerInput, ModelSpec, ModelUpdate>.Context ctx;
  private Collector<ModelUpdate> updates;

  ModelCall(DeadLetterCounters deadLetters) {
    this.deadLetters = deadLetters;
  }

  ModelCall bind(
      KeyedCoProcessFunction<String, TrainerInput, ModelSpec, ModelUpdate>.Context ctx,
      Collector<ModelUpdate> updates) {
    this.ctx = ctx;
    this.updates = updates;
    return this;
  }

  String modelId() {
    return ctx.getCurrentKey();
  }

  TimerService timers() {
    return ctx.timerService();
  }

  long now() {
    return ctx.timerService().currentProcessingTime();
  }

  void publish(ModelUpdate update) {
    updates.collect(update);
  }

  /** Sends a drift event to the model-events topic. */
  void driftEvent(DriftEvent event) {
    ctx.output(DriftEvents.TAG, event);
  }

  /** Sends a dead letter (counted by whoever built it). */
  @Override
  public void accept(DeadLetter deadLetter) {
    ctx.output(DeadLetters.TAG, deadLetter);
  }

  /** Sends {@code sample} to the dead letters with its reason, and counts it. */
  void reject(Sample sample, Rejection rejection) {
    deadLetters.count(rejection.reason());
    ctx.output(DeadLetters.TAG, DeadLetters.of(sample, rejection));
  }
}
