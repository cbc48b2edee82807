package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Identifies a spec by content: the CRC-64-AVRO (Rabin) fingerprint of its Avro binary encoding.
 * Any client with the schema can recompute it.
 */
public final class SpecFingerprint {
  private static final SpecificDatumWriter<ModelSpec> WRITER =
      new SpecificDatumWriter<>(ModelSpec.getClassSchema());

  static {
    // Template relies on the id being the first field, written as a plain string.
    Schema.Field first = ModelSpec.getClassSchema().getFields().get(0);
    if (!first.name().equals("modelId") || first.schema().getType() != Schema.Type.STRING) {
      throw new ExceptionInInitializerError("ModelSpec must start with the string field modelId");
    }
  }

  private SpecFingerprint() {}

  public static long of(ModelSpec spec) {
    return SchemaNormalization.fingerprint64(encode(spec));
  }

  /**
   * The part of {@code spec} that does not depend on its model id, to fingerprint the same spec
   * under many ids (the job's default spec, given to each model) without encoding it each time.
   */
  public static Template template(ModelSpec spec) {
    byte[] whole = encode(spec);
    int idLength = encodedId(spec.getModelId()).length;
    return new Template(Arrays.copyOfRange(whole, idLength, whole.length));
  }

  /** A spec's encoding after its id: its fingerprint under any id needs only the id encoded. */
  public static final class Template {
    private final byte[] afterId;

    private Template(byte[] afterId) {
      this.afterId = afterId;
    }

    /** Identifies the spec's content apart from its model id. */
    public long contentFingerprint() {
      return SchemaNormalization.fingerprint64(afterId);
    }

    /** Equals {@code of(spec with modelId)}. */
    public long fingerprint(String modelId) {
      byte[] id = encodedId(modelId);
      byte[] whole = Arrays.copyOf(id, id.length + afterId.length);
      System.arraycopy(afterId, 0, whole, id.length, afterId.length);
      return SchemaNormalization.fingerprint64(whole);
    }
  }

  private static byte[] encode(ModelSpec spec) {
    return binary(e -> WRITER.write(spec, e));
  }

  /** The id as the spec's first field is written: an Avro string. */
  private static byte[] encodedId(String id) {
    return binary(e -> e.writeString(id));
  }

  private interface Writing {
    void to(BinaryEncoder encoder) throws IOException;
  }

  private static byte[] binary(Writing writing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writing.to(encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot encode to memory", e); // a byte array stream does not fail
    }
    return out.toByteArray();
  }
}
