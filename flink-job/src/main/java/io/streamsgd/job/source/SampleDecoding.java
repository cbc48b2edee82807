package io.streamsgd.job.source;

import io.streamsgd.core.avro.SampleReader;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Turns a raw record into a sample, in Avro single-object encoding or the Confluent framing (writer
 * schema by id from the registry, resolved to the current one). Never throws on input: whatever
 * cannot become a valid sample (not Avro, unknown schema, truncated, oversized, no model id,
 * non-finite numbers, malformed sparse vectors) is handed to the caller as a dead letter with its
 * reason, and counted. Shared by the operators that decode: the one before the shuffle ({@link
 * SampleRouter}, {@link SampleDecoder}) and the trainer, for samples that cross the shuffle as
 * their bytes.
 */
public final class SampleDecoding {
  private final SampleFormat format;
  private final FramedCodec<TrainingSample> codec;
  private final DeadLetterCounters counters;
  private final Counter decoded;

  /**
   * @param operatorGroup the decoding operator's metrics: {@code streamsgd.samplesDecoded}
   * @param counters the operator's dead-letter counters (one instance per operator: Flink keeps the
   *     first metric of a name)
   */
  public SampleDecoding(
      SampleFormat format, MetricGroup operatorGroup, DeadLetterCounters counters) {
    this.format = format;
    this.codec =
        FramedCodec.of(
            Codecs.TRAINING_SAMPLE,
            format.registry() == null ? null : CachedRegistry.shared(format.registry()));
    this.counters = counters;
    this.decoded = operatorGroup.addGroup("streamsgd").counter("samplesDecoded");
  }

  /** Whether the record is too large to decode (it would be OVERSIZED). */
  public boolean oversized(RawRecord raw) {
    return raw.value != null && raw.value.length > format.maxRecordBytes();
  }

  /** The record's sample, or null after handing its dead letter to {@code rejected}. */
  public Sample decode(RawRecord raw, Consumer<DeadLetter> rejected) {
    if (oversized(raw)) {
      return reject(
          rejected,
          raw,
          DeadLetterReason.OVERSIZED,
          raw.value.length + " bytes, limit " + format.maxRecordBytes(),
          null);
    }
    SampleReader.DecodedSample record;
    try {
      record = SampleReader.read(raw.value, codec);
    } catch (DecodeException e) {
      return reject(rejected, raw, reasonOf(e.kind()), e.getMessage(), null);
    }
    String modelId = record.modelId();
    if (modelId == null || modelId.isEmpty()) {
      return reject(rejected, raw, DeadLetterReason.MISSING_MODEL_ID, "modelId is empty", null);
    }
    if (!SpecValidator.isModelId(modelId)) {
      return reject(
          rejected,
          raw,
          DeadLetterReason.INVALID_MODEL_ID,
          "modelId must match " + SpecValidator.MODEL_ID.pattern(),
          null);
    }
    Sample sample;
    try {
      sample = record.toSample(new Sample.Origin(raw.topic, raw.partition, raw.offset));
    } catch (IllegalArgumentException e) {
      return reject(rejected, raw, DeadLetterReason.MALFORMED, e.getMessage(), modelId);
    }
    if (sample.features().size() > format.maxFeatures()) {
      return reject(
          rejected,
          raw,
          DeadLetterReason.OVERSIZED,
          sample.features().size() + " features, limit " + format.maxFeatures(),
          modelId);
    }
    Rejection rejection = SampleValidator.checkIntrinsic(sample);
    if (rejection != null) {
      return reject(rejected, raw, rejection.reason(), rejection.detail(), modelId);
    }
    decoded.inc();
    return sample;
  }

  /** Hands on a dead letter for {@code raw} with its reason, counted like the decoder's own. */
  public Sample reject(
      Consumer<DeadLetter> rejected,
      RawRecord raw,
      DeadLetterReason reason,
      String detail,
      String modelId) {
    counters.count(reason);
    rejected.accept(DeadLetters.of(raw, reason, detail == null ? reason.name() : detail, modelId));
    return null;
  }

  static DeadLetterReason reasonOf(DecodeException.Kind kind) {
    switch (kind) {
      case NOT_SINGLE_OBJECT:
        return DeadLetterReason.NOT_AVRO;
      case UNKNOWN_SCHEMA:
        return DeadLetterReason.UNKNOWN_SCHEMA;
      case TRUNCATED:
        return DeadLetterReason.TRUNCATED;
      default:
        return DeadLetterReason.MALFORMED;
    }
  }
}
