package io.streamsgd.job.source;

import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.train.Sample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends samples on to the shuffle in front of the trainer. A record whose Kafka key is a model id
 * (the documented convention: producers key samples by model id) goes as its bytes, routed by that
 * key, and is decoded once, by the trainer that owns the model: no sample is serialized between the
 * two. Any other record (no key, a key that is not a model id, a record too large to ship) is
 * decoded here and routed by the model id it holds, or leaves as a dead letter. With {@code
 * useRecordKeys} off, every record takes that second path: for producers whose keys mean something
 * else.
 */
public final class SampleRouter extends ProcessFunction<RawRecord, TrainerInput> {
  private static final long serialVersionUID = 1L;

  private final SampleFormat format;
  private final boolean useRecordKeys;

  private transient SampleDecoding decoding;

  public SampleRouter(SampleFormat format, boolean useRecordKeys) {
    this.format = format;
    this.useRecordKeys = useRecordKeys;
  }

  @Override
  public void open(OpenContext openContext) {
    var group = getRuntimeContext().getMetricGroup();
    decoding = new SampleDecoding(format, group, new DeadLetterCounters(group));
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<TrainerInput> out) {
    if (useRecordKeys && modelIdKey(raw.key) && !decoding.oversized(raw)) {
      out.collect(TrainerInput.undecoded(raw));
      return;
    }
    Sample sample = decoding.decode(raw, d -> ctx.output(DeadLetters.TAG, d));
    if (sample != null) {
      out.collect(TrainerInput.decoded(sample));
    }
  }

  /**
   * Whether a record key is a model id: 1 to 128 of {@code [A-Za-z0-9._:-]}, all ASCII, so its
   * UTF-8 bytes are its characters. Checked on the bytes, allocating nothing.
   */
  static boolean modelIdKey(byte[] key) {
    if (key == null || key.length == 0 || key.length > 128) {
      return false;
    }
    for (byte b : key) {
      if (!SpecValidator.isModelIdChar((char) b)) {
        return false;
      }
    }
    return true;
  }
}
