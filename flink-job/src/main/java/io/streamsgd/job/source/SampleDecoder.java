package io.streamsgd.job.source;

import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.registry.RegistryConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw records into samples ({@link SampleDecoding}); what cannot become a valid sample leaves
 * on the dead-letter side output with its reason, and is counted. The decode-only pipeline (the
 * benchmark's decode ceiling) runs it; the trainer's pipeline routes records with {@link
 * SampleRouter}.
 */
public final class SampleDecoder extends ProcessFunction<RawRecord, Sample> {
  private static final long serialVersionUID = 1L;

  private final SampleFormat format;

  private transient SampleDecoding decoding;

  public SampleDecoder(int maxRecordBytes, int maxFeatures, RegistryConfig registry) {
    this.format = new SampleFormat(maxRecordBytes, maxFeatures, registry);
  }

  @Override
  public void open(OpenContext openContext) {
    var group = getRuntimeContext().getMetricGroup();
    decoding = new SampleDecoding(format, group, new DeadLetterCounters(group));
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<Sample> out) {
    Sample sample = decoding.decode(raw, d -> ctx.output(DeadLetters.TAG, d));
    if (sample != null) {
      out.collect(sample);
    }
  }
}
