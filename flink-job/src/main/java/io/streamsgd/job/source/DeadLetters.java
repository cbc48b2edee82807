package io.streamsgd.job.source;

import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.state.PublishedRecordSerializer;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.util.OutputTag;

/** Builds {@link DeadLetter} records and names the side output they travel on. */
public final class DeadLetters {
  /** Side output of every operator that rejects input. */
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", PublishedRecordSerializer.typeInfo(DeadLetter.class));

  private DeadLetters() {}

  /** A record rejected before or while decoding: the original bytes travel with it. */
  public static DeadLetter of(
      RawRecord raw, DeadLetterReason reason, String detail, String modelId) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setDetail(detail)
        .setModelId(modelId)
        .setTopic(raw.topic)
        .setPartition(raw.partition)
        .setOffset(raw.offset)
        .setRecordTimestamp(Instant.ofEpochMilli(raw.timestamp))
        .setOriginalKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
        .setOriginalValue(raw.value == null ? null : ByteBuffer.wrap(raw.value))
        .build();
  }

  /**
   * A decoded sample rejected by the trainer (against its model's spec). The value is the sample
   * re-encoded with the current schema in single-object encoding: byte-identical to the original
   * when the producer wrote the current schema version in that framing; otherwise the same sample,
   * and the topic, partition and offset lead to the original bytes.
   */
  public static DeadLetter of(Sample sample, Rejection rejection) {
    Sample.Origin origin = sample.origin();
    return DeadLetter.newBuilder()
        .setReason(rejection.reason())
        .setDetail(rejection.detail())
        .setModelId(sample.modelId())
        .setTopic(origin.stream())
        .setPartition(origin.partition())
        .setOffset(origin.offset())
        .setRecordTimestamp(Instant.ofEpochMilli(sample.eventTime()))
        .setOriginalKey(ByteBuffer.wrap(sample.modelId().getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(
            ByteBuffer.wrap(Codecs.TRAINING_SAMPLE.encode(SampleConversion.toAvro(sample))))
        .build();
  }
}
