package io.streamsgd.job.source;

import io.streamsgd.core.avro.SampleReader;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.train.Rejection;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw records into samples, in Avro single-object encoding or the Confluent framing (writer
 * schema by id from the registry, resolved to the current one). Never throws on input: whatever
 * cannot become a valid sample (not Avro, unknown schema, truncated, oversized, no model id,
 * non-finite numbers, malformed sparse vectors) leaves on the dead-letter side output with its
 * reason, and is counted.
 */
public final class SampleDecoder extends ProcessFunction<RawRecord, Sample> {
  private static final long serialVersionUID = 1L;

  private final int maxRecordBytes;
  private final int maxFeatures;

  /** Where Confluent-framed samples' writer schemas are looked up; null: no registry. */
  private final RegistryConfig registry;

  private transient FramedCodec<TrainingSample> codec;
  private transient DeadLetterCounters counters;
  private transient Counter decoded;

  public SampleDecoder(int maxRecordBytes, int maxFeatures, RegistryConfig registry) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxFeatures = maxFeatures;
    this.registry = registry;
  }

  @Override
  public void open(OpenContext openContext) {
    codec =
        FramedCodec.of(
            Codecs.TRAINING_SAMPLE, registry == null ? null : CachedRegistry.shared(registry));
    counters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    decoded = getRuntimeContext().getMetricGroup().addGroup("streamsgd").counter("samplesDecoded");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<Sample> out) {
    if (raw.value != null && raw.value.length > maxRecordBytes) {
      reject(
          ctx,
          raw,
          DeadLetterReason.OVERSIZED,
          raw.value.length + " bytes, limit " + maxRecordBytes,
          null);
      return;
    }
    SampleReader.DecodedSample record;
    try {
      record = SampleReader.read(raw.value, codec);
    } catch (DecodeException e) {
      reject(ctx, raw, reasonOf(e.kind()), e.getMessage(), null);
      return;
    }
    String modelId = record.modelId();
    if (modelId == null || modelId.isEmpty()) {
      reject(ctx, raw, DeadLetterReason.MISSING_MODEL_ID, "modelId is empty", null);
      return;
    }
    if (!SpecValidator.isModelId(modelId)) {
      reject(
          ctx,
          raw,
          DeadLetterReason.INVALID_MODEL_ID,
          "modelId must match " + SpecValidator.MODEL_ID.pattern(),
          null);
      return;
    }
    Sample sample;
    try {
      sample = record.toSample(new Sample.Origin(raw.topic, raw.partition, raw.offset));
    } catch (IllegalArgumentException e) {
      reject(ctx, raw, DeadLetterReason.MALFORMED, e.getMessage(), modelId);
      return;
    }
    if (sample.features().size() > maxFeatures) {
      reject(
          ctx,
          raw,
          DeadLetterReason.OVERSIZED,
          sample.features().size() + " features, limit " + maxFeatures,
          modelId);
      return;
    }
    Rejection rejection = SampleValidator.checkIntrinsic(sample);
    if (rejection != null) {
      reject(ctx, raw, rejection.reason(), rejection.detail(), modelId);
      return;
    }
    decoded.inc();
    out.collect(sample);
  }

  private void reject(
      Context ctx, RawRecord raw, DeadLetterReason reason, String detail, String modelId) {
    counters.count(reason);
    ctx.output(
        DeadLetters.TAG,
        DeadLetters.of(raw, reason, detail == null ? reason.name() : detail, modelId));
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
