package io.streamsgd.schema.codec;

import io.streamsgd.schema.registry.CachedRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one record type in either framing, told apart per record by its first byte: Avro
 * single-object encoding ({@code C3 01}, through the {@link SingleObjectCodec}) or the Confluent
 * wire format ({@code 00} and a schema id, the writer schema fetched from a schema registry). A
 * writer schema from the registry is resolved against this reader's schema by Avro's rules, so
 * producers may evolve compatibly. Thread-safe.
 */
public final class FramedCodec<T extends SpecificRecord> {
  private final SingleObjectCodec<T> singleObject;
  private final CachedRegistry registry;
  private final long readerFingerprint;

  /** Per writer schema id: a reader resolving it to ours, or why none can be made. */
  private final Map<Integer, Resolution<T>> resolutions = new ConcurrentHashMap<>();

  private record Resolution<T>(DatumReader<T> reader, boolean sameSchema, String refusal) {}

  private FramedCodec(SingleObjectCodec<T> singleObject, CachedRegistry registry) {
    this.singleObject = singleObject;
    this.registry = registry;
    this.readerFingerprint = SchemaNormalization.parsingFingerprint64(singleObject.schema());
  }

  /**
   * @param registry where Confluent-framed records' writer schemas are looked up; null when no
   *     registry is configured (such records then fail as {@link
   *     DecodeException.Kind#UNKNOWN_SCHEMA})
   */
  public static <T extends SpecificRecord> FramedCodec<T> of(
      SingleObjectCodec<T> singleObject, CachedRegistry registry) {
    return new FramedCodec<>(singleObject, registry);
  }

  public SingleObjectCodec<T> singleObject() {
    return singleObject;
  }

  /** Decodes a record of either framing; every failure is a {@link DecodeException}. */
  public T decode(byte[] bytes) throws DecodeException {
    if (!ConfluentFraming.isFramed(bytes)) {
      return singleObject.decode(bytes);
    }
    Resolution<T> resolution = resolve(ConfluentFraming.schemaId(bytes));
    try {
      return resolution
          .reader()
          .read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(
                      bytes,
                      ConfluentFraming.HEADER,
                      bytes.length - ConfluentFraming.HEADER,
                      null));
    } catch (IOException | RuntimeException e) {
      throw SingleObjectCodec.bodyFailure(e);
    }
  }

  /**
   * Whether the Confluent-framed record's writer schema is exactly this reader's schema (same
   * parsing canonical form), so its body can be read without resolution.
   */
  public boolean writtenWithReaderSchema(byte[] framed) throws DecodeException {
    return resolve(ConfluentFraming.schemaId(framed)).sameSchema();
  }

  private Resolution<T> resolve(int id) throws DecodeException {
    Resolution<T> known = resolutions.get(id);
    if (known == null) {
      if (registry == null) {
        throw new DecodeException(
            DecodeException.Kind.UNKNOWN_SCHEMA,
            "Confluent wire format (schema id "
                + id
                + ") but no schema registry is configured to look the id up");
      }
      Optional<Schema> writer = registry.writerSchema(id);
      if (writer.isEmpty()) {
        // Not cached: the id may be registered later (the registry's own cache bounds lookups).
        throw new DecodeException(
            DecodeException.Kind.UNKNOWN_SCHEMA,
            "schema id " + id + " is not in the schema registry at " + registry.config().url());
      }
      known = resolutions.computeIfAbsent(id, i -> resolution(i, writer.get()));
    }
    if (known.refusal() != null) {
      throw new DecodeException(DecodeException.Kind.UNKNOWN_SCHEMA, known.refusal());
    }
    return known;
  }

  private Resolution<T> resolution(int id, Schema writer) {
    Schema reader = singleObject.schema();
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Resolution<>(
          null,
          false,
          "schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") cannot be read as "
              + reader.getFullName()
              + ": "
              + compatibility.getDescription());
    }
    @SuppressWarnings("unchecked")
    DatumReader<T> datumReader =
        (DatumReader<T>) singleObject.model().createDatumReader(writer, reader);
    return new Resolution<>(
        datumReader, SchemaNormalization.parsingFingerprint64(writer) == readerFingerprint, null);
  }
}
