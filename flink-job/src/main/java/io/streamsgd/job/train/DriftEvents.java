package io.streamsgd.job.train;

import io.streamsgd.core.train.DriftWatch;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.job.state.PublishedRecordSerializer;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.DriftSpec;
import java.time.Instant;
import org.apache.flink.util.OutputTag;

/** Builds {@link DriftEvent} records and names the side output they travel on. */
final class DriftEvents {
  /** Side output of the trainer: what each model's drift watch saw and did. */
  static final OutputTag<DriftEvent> TAG =
      new OutputTag<>("model-events", PublishedRecordSerializer.typeInfo(DriftEvent.class));

  private DriftEvents() {}

  /** The record of {@code event}, which happened in the batch of {@code model}'s latest version. */
  static DriftEvent of(String modelId, LearnerState model, DriftWatch.Event event) {
    DriftSpec spec = model.spec().getDrift();
    return DriftEvent.newBuilder()
        .setModelId(modelId)
        .setKind(event.kind())
        .setVersion(model.version())
        .setLineage(model.lineage())
        .setSample(event.sample())
        .setEventTime(Instant.ofEpochMilli(event.eventTime()))
        .setDetector(spec.getDetector())
        .setReaction(spec.getReaction())
        .setFadedLoss(event.fadedLoss())
        .build();
  }
}
