package io.streamsgd.job.source;

import io.streamsgd.core.train.Sample;
import java.nio.charset.StandardCharsets;

/**
 * What crosses the shuffle to the trainer, keyed by model id: a record still in its bytes, when its
 * Kafka key names its model (the trainer decodes it), or a sample decoded before the shuffle (a
 * record without such a key). One stream carries both, so a partition's records keep their order.
 */
public final class TrainerInput {
  private final String key;
  private final RawRecord raw;
  private final Sample sample;

  private TrainerInput(String key, RawRecord raw, Sample sample) {
    this.key = key;
    this.raw = raw;
    this.sample = sample;
  }

  /**
   * A record to decode after the shuffle, keyed by its Kafka key (a valid model id: see {@link
   * SampleRouter#modelIdKey}).
   */
  public static TrainerInput undecoded(RawRecord raw) {
    return new TrainerInput(new String(raw.key, StandardCharsets.UTF_8), raw, null);
  }

  /** A sample decoded before the shuffle, keyed by its model id. */
  public static TrainerInput decoded(Sample sample) {
    return new TrainerInput(sample.modelId(), null, sample);
  }

  /** The model id the record is routed by. */
  public String key() {
    return key;
  }

  /** The record, when it is still to be decoded; else null. */
  public RawRecord raw() {
    return raw;
  }

  /** The sample, when it was decoded before the shuffle; else null. */
  public Sample sample() {
    return sample;
  }

  @Override
  public String toString() {
    return sample != null ? sample.toString() : "undecoded " + raw + " key " + key;
  }
}
