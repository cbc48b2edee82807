package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How large one published update of a model can get under its spec, so that a model no record could
 * carry is refused at its spec (with the fix named) instead of failing the sink on its first
 * update. Parameters are published whole today: 8 bytes per weight and intercept.
 */
public final class UpdateSize {
  /**
   * Bytes of an update apart from its parameters, spec and model id: counters, metrics, times,
   * enums and Avro framing, with a margin (a test encodes updates with every field set and checks
   * that the bound holds and stays within this margin of the truth).
   */
  static final int FIXED_BYTES = 1024;

  private UpdateSize() {}

  /**
   * An upper bound of the single-object-encoded {@code ModelUpdate} of a model under {@code spec}.
   */
  public static long upperBound(ModelSpec spec) {
    return fixedBytes(spec) + 8L * parameters(spec, spec.getFeatureDimension());
  }

  /** The largest feature dimension whose updates stay within {@code limitBytes}, or 0. */
  public static long maxDimension(ModelSpec spec, long limitBytes) {
    long outputs = outputs(spec);
    long room = (limitBytes - fixedBytes(spec)) / 8 - outputs;
    return Math.max(0, room / outputs);
  }

  /**
   * Why {@code spec}'s updates cannot be published under {@code limitBytes} (named {@code
   * limitName} in the message), with the largest dimension or hash bits that would fit; empty when
   * they can.
   */
  public static Optional<String> problem(ModelSpec spec, long limitBytes, String limitName) {
    long bound = upperBound(spec);
    if (bound <= limitBytes) {
      return Optional.empty();
    }
    long maxDimension = maxDimension(spec, limitBytes);
    String fit =
        spec.getHashBits() > 0
            ? String.format(
                Locale.ROOT,
                "use at most %d hash bits",
                63 - Long.numberOfLeadingZeros(maxDimension))
            : String.format(Locale.ROOT, "use a featureDimension of at most %,d", maxDimension);
    return Optional.of(
        String.format(
            Locale.ROOT,
            "its updates are up to %,d bytes (%,d parameters of 8 bytes), above the %,d-byte record"
                + " limit (%s): %s, or raise the limit together with the producer's"
                + " max.request.size, the broker's message.max.bytes and the models topic's"
                + " max.message.bytes",
            bound,
            parameters(spec, spec.getFeatureDimension()),
            limitBytes,
            limitName,
            fit));
  }

  private static long outputs(ModelSpec spec) {
    return SpecShape.of(spec).outputs();
  }

  private static long parameters(ModelSpec spec, long dimension) {
    long outputs = outputs(spec);
    return outputs * dimension + outputs;
  }

  /** Everything but the parameters: the spec (once, inside the update), the id, the rest. */
  private static long fixedBytes(ModelSpec spec) {
    int idBytes = spec.getModelId().getBytes(StandardCharsets.UTF_8).length;
    return FIXED_BYTES + Codecs.MODEL_SPEC.encode(spec).length + idBytes + 5;
  }
}
