package io.streamsgd.job.spec;

import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.spec.UpdateSize;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.source.DeadLetterCounters;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the model-specs topic, in either framing (see {@link FramedCodec}). A spec that cannot be
 * decoded, fails validation or defines a model whose updates no record could carry goes to dead
 * letters as INVALID_SPEC (and the model keeps its previous spec); tombstones are counted and
 * ignored, since deleting a spec does not stop a model.
 */
public final class SpecDecoder extends ProcessFunction<RawRecord, ModelSpec> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpecDecoder.class);

  private final int maxRecordBytes;

  /** Where Confluent-framed specs' writer schemas are looked up; null: no registry. */
  private final RegistryConfig registry;

  private transient FramedCodec<ModelSpec> codec;
  private transient DeadLetterCounters deadLetters;
  private transient Counter accepted;
  private transient Counter tombstones;

  /** {@code maxRecordBytes}: the largest update the sink publishes (see {@link UpdateSize}). */
  public SpecDecoder(int maxRecordBytes, RegistryConfig registry) {
    this.maxRecordBytes = maxRecordBytes;
    this.registry = registry;
  }

  @Override
  public void open(OpenContext openContext) {
    codec =
        FramedCodec.of(
            Codecs.MODEL_SPEC, registry == null ? null : CachedRegistry.shared(registry));
    deadLetters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    accepted = getRuntimeContext().getMetricGroup().addGroup("streamsgd").counter("specsAccepted");
    tombstones =
        getRuntimeContext().getMetricGroup().addGroup("streamsgd").counter("specTombstones");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ModelSpec> out) {
    if (raw.value == null) {
      tombstones.inc();
      return;
    }
    ModelSpec spec;
    try {
      spec = codec.decode(raw.value);
    } catch (DecodeException e) {
      reject(ctx, raw, "not a ModelSpec: " + e.getMessage(), null);
      return;
    }
    List<String> problems = SpecValidator.problems(spec);
    if (problems.isEmpty()) {
      UpdateSize.problem(spec, maxRecordBytes, JobOptions.SINK_MAX_RECORD_BYTES.key())
          .ifPresent(problems::add);
    }
    if (raw.key != null && !new String(raw.key, StandardCharsets.UTF_8).equals(spec.getModelId())) {
      problems.add("record key does not equal modelId '" + spec.getModelId() + "'");
    }
    if (!problems.isEmpty()) {
      reject(ctx, raw, String.join("; ", problems), spec.getModelId());
      return;
    }
    accepted.inc();
    LOG.info("Spec for model {} read from {}", spec.getModelId(), raw);
    out.collect(spec);
  }

  private void reject(Context ctx, RawRecord raw, String detail, String modelId) {
    LOG.warn("Rejected spec at {}: {}", raw, detail);
    deadLetters.count(DeadLetterReason.INVALID_SPEC);
    ctx.output(
        DeadLetters.TAG, DeadLetters.of(raw, DeadLetterReason.INVALID_SPEC, detail, modelId));
  }
}
