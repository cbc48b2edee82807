package io.streamsgd.schema.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker {@code C3 01}, 8-byte CRC-64-AVRO fingerprint of the
 * writer schema, then the binary body) for one record type. Any Avro library in any language
 * can read it without a schema registry. Thread-safe.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private SingleObjectCodec(Class<T> type) {
    // Resolve record classes through the generated class's own loader, not Avro's: in a Flink
    // job jar the two can differ (Avro on the cluster's class path, the records in the jar).
    SpecificData model = new SpecificData(type.getClassLoader());
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
  }

  /** A codec whose reader and writer schema is the generated class's schema. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
    return new SingleObjectCodec<>(type);
  }

  /**
   * Makes records written with an older (or newer) version of the schema readable: they are
   * resolved to the current schema by Avro's schema-resolution rules.
   */
  public SingleObjectCodec<T> withWriterSchema(Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  public Schema schema() {
    return schema;
  }

  public byte[] encode(T record) {
    try {
      return encoder.encode(record).array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getFullName(), e);
    }
  }

  /** Decodes one record; every failure becomes a {@link DecodeException} with its kind. */
  public T decode(byte[] bytes) throws DecodeException {
    if (bytes == null) {
      throw new DecodeException(DecodeException.Kind.NOT_SINGLE_OBJECT, "record has no value (tombstone)");
    }
    try {
      return decoder.decode(bytes);
    } catch (BadHeaderException e) {
      throw new DecodeException(DecodeException.Kind.NOT_SINGLE_OBJECT, e.getMessage());
    } catch (MissingSchemaException e) {
      throw new DecodeException(DecodeException.Kind.UNKNOWN_SCHEMA, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // Avro wraps a short body's EOFException in AvroRuntimeException; corrupt bodies surface
      // as AvroRuntimeException or as index/size errors. None of them is a record of this schema.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof EOFException) {
          throw new DecodeException(DecodeException.Kind.TRUNCATED, "record ends early");
        }
      }
      Throwable root = e.getCause() != null ? e.getCause() : e;
      String why = root instanceof AvroRuntimeException ? root.getMessage() : root.toString();
      throw new DecodeException(DecodeException.Kind.MALFORMED, why);
    }
  }
}
