package io.streamsgd.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker {@code C3 01}, 8-byte CRC-64-AVRO fingerprint of the writer
 * schema, then the binary body) for one record type. Any Avro library in any language can read it
 * without a schema registry. Thread-safe.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
  /** Marker and fingerprint before the body. */
  public static final int HEADER = 10;

  private final Schema schema;
  private final SpecificData model;
  private final byte[] header;
  private final DatumWriter<T> writer;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * Per thread: a growable buffer and a buffered encoder over it. Avro's BinaryMessageEncoder
   * writes through a direct encoder, one synchronized stream call per double of a parameter array;
   * a model update of a 64-weight model made several hundred of them.
   */
  private static final ThreadLocal<EncodeBuffer> BUFFERS =
      ThreadLocal.withInitial(EncodeBuffer::new);

  private static final class EncodeBuffer extends ByteArrayOutputStream {
    BinaryEncoder encoder;

    EncodeBuffer() {
      super(1024);
    }

    /** Unsynchronized: the buffer belongs to one thread. */
    @Override
    public void write(byte[] b, int off, int len) {
      ensureCapacity(count + len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    @Override
    public void write(int b) {
      ensureCapacity(count + 1);
      buf[count++] = (byte) b;
    }

    private void ensureCapacity(int needed) {
      if (needed > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
      }
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buf, count);
    }
  }

  private SingleObjectCodec(Class<T> type) {
    // Resolve record classes through the generated class's own loader, not Avro's: in a Flink
    // job jar the two can differ (Avro on the cluster's class path, the records in the jar).
    this.model = new SpecificData(type.getClassLoader());
    this.schema = model.getSchema(type);
    this.writer = model.createDatumWriter(schema);
    // The single-object header: marker C3 01, then the schema's CRC-64-AVRO fingerprint,
    // little-endian.
    this.header =
        ByteBuffer.allocate(HEADER)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 0xC3)
            .put((byte) 0x01)
            .putLong(SchemaNormalization.parsingFingerprint64(schema))
            .array();
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

  /** The record class's data model: resolves nested records through the class's own loader. */
  SpecificData model() {
    return model;
  }

  public byte[] encode(T record) {
    EncodeBuffer out = BUFFERS.get();
    out.reset();
    try {
      out.write(header, 0, header.length);
      out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
      writer.write(record, out.encoder);
      out.encoder.flush();
      return out.bytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getFullName(), e);
    }
  }

  /** Decodes one record; every failure becomes a {@link DecodeException} with its kind. */
  public T decode(byte[] bytes) throws DecodeException {
    if (bytes == null) {
      throw new DecodeException(
          DecodeException.Kind.NOT_SINGLE_OBJECT, "record has no value (tombstone)");
    }
    try {
      return decoder.decode(bytes);
    } catch (BadHeaderException e) {
      throw new DecodeException(DecodeException.Kind.NOT_SINGLE_OBJECT, e.getMessage());
    } catch (MissingSchemaException e) {
      throw new DecodeException(DecodeException.Kind.UNKNOWN_SCHEMA, e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw bodyFailure(e);
    }
  }

  /** What a failure to read an Avro body means, as a {@link DecodeException}. */
  static DecodeException bodyFailure(Exception e) {
    // Avro wraps a short body's EOFException in AvroRuntimeException; corrupt bodies surface
    // as AvroRuntimeException or as index/size errors. None of them is a record of this schema.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return new DecodeException(DecodeException.Kind.TRUNCATED, "record ends early");
      }
    }
    Throwable root = e.getCause() != null ? e.getCause() : e;
    String why = root instanceof AvroRuntimeException ? root.getMessage() : root.toString();
    return new DecodeException(DecodeException.Kind.MALFORMED, why);
  }
}
