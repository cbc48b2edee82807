package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How the published records of a model under its spec fit a record limit, so that a model chunked
 * publication cannot carry is refused at its spec (with the fix named) instead of failing the sink
 * on its first update. A version that does not fit one record is cut into chunks (see {@code
 * io.streamsgd.core.publish.ModelChunks}); each chunk repeats the spec, metadata and intercepts,
 * then holds some columns at up to 5 bytes of index and 8 per output. Two things can defeat that: a
 * repeated part that leaves no room for a column, and a model so large for the limit that a version
 * would take more than {@link #MAX_CHUNKS} records.
 */
public final class UpdateSize {
  /**
   * Bytes of an update apart from its parameters, spec and model id: counters, metrics, times,
   * enums, the chunk and Avro framing, with a margin (a test encodes updates with every field set
   * and checks that the bound holds and stays within this margin of the truth).
   */
  static final int FIXED_BYTES = 1024;

  /**
   * The most records one version may take. Every reader holds a version's chunks until the last
   * arrives, and the trainer writes them in one transaction: a version of thousands of records
   * means the limit is far too small for the model. At the default limit of 1,000,000 bytes no
   * valid spec comes near it.
   */
  public static final int MAX_CHUNKS = 4096;

  /** Bytes one column takes in a chunk at most: its index (a varint) and one weight per output. */
  private static final int COLUMN_INDEX_BYTES = 5;

  private UpdateSize() {}

  /**
   * An upper bound of the single-object-encoded {@code ModelUpdate} of a model under {@code spec}
   * published whole and dense.
   */
  public static long upperBound(ModelSpec spec) {
    return fixedBytes(spec) + 8L * parameters(spec);
  }

  /** An upper bound of the part every chunk of a model repeats: all but its columns' weights. */
  public static long chunkFixedBytes(ModelSpec spec) {
    return fixedBytes(spec) + 8L * outputs(spec);
  }

  /**
   * An upper bound of the records a version of a model takes under {@code limitBytes}: every column
   * non-zero; 0 when not even one column fits beside the repeated part.
   */
  public static long maxChunks(ModelSpec spec, long limitBytes) {
    long room = limitBytes - chunkFixedBytes(spec);
    long perColumn = columnBytes(spec);
    if (room < perColumn) {
      return 0;
    }
    if (upperBound(spec) <= limitBytes) {
      return 1;
    }
    long columnsPerChunk = room / perColumn;
    return (spec.getFeatureDimension() + columnsPerChunk - 1) / columnsPerChunk;
  }

  /**
   * Why {@code spec}'s versions cannot be published in records of at most {@code limitBytes} (named
   * {@code limitName} in the message), with the fix; empty when they can.
   */
  public static Optional<String> problem(ModelSpec spec, long limitBytes, String limitName) {
    long chunks = maxChunks(spec, limitBytes);
    if (chunks == 0) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "each record of its versions repeats up to %,d bytes of spec, metadata and"
                  + " intercepts and needs %,d more for one column of weights, above the"
                  + " %,d-byte record limit (%s): raise the limit (with the producer's"
                  + " max.request.size, the broker's message.max.bytes and the models topic's"
                  + " max.message.bytes), or use fewer classes",
              chunkFixedBytes(spec),
              columnBytes(spec),
              limitBytes,
              limitName));
    }
    if (chunks <= MAX_CHUNKS) {
      return Optional.empty();
    }
    long maxDimension = MAX_CHUNKS * ((limitBytes - chunkFixedBytes(spec)) / columnBytes(spec));
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
            "a version of its %,d parameters takes up to %,d records under the %,d-byte record"
                + " limit (%s), above the %,d one version may take: raise the limit (with the"
                + " producer's max.request.size, the broker's message.max.bytes and the models"
                + " topic's max.message.bytes), or %s",
            parameters(spec),
            chunks,
            limitBytes,
            limitName,
            MAX_CHUNKS,
            fit));
  }

  private static long outputs(ModelSpec spec) {
    return SpecShape.of(spec).outputs();
  }

  private static long parameters(ModelSpec spec) {
    long outputs = outputs(spec);
    return outputs * spec.getFeatureDimension() + outputs;
  }

  private static long columnBytes(ModelSpec spec) {
    return COLUMN_INDEX_BYTES + 8L * outputs(spec);
  }

  /** Everything but the parameters: the spec (once, inside the update), the id, the rest. */
  private static long fixedBytes(ModelSpec spec) {
    int idBytes = spec.getModelId().getBytes(StandardCharsets.UTF_8).length;
    return FIXED_BYTES + Codecs.MODEL_SPEC.encode(spec).length + idBytes + 5;
  }
}
