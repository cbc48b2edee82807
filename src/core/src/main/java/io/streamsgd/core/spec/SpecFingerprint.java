package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Identifies a spec by content: the CRC-64-AVRO (Rabin) fingerprint of its Avro binary
 * encoding. Any client with the schema can recompute it.
 */
public final class SpecFingerprint {
  private static final SpecificDatumWriter<ModelSpec> WRITER =
      new SpecificDatumWriter<>(ModelSpec.getClassSchema());

  private SpecFingerprint() {}

  public static long of(ModelSpec spec) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITER.write(spec, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode spec of " + spec.getModelId(), e);
    }
    return SchemaNormalization.fingerprint64(out.toByteArray());
  }
}
