package io.streamsgd.core.spec;

import io.streamsgd.schema.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
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
    int idLength = idPrefix(spec.getModelId()).length;
    return new Template(Arrays.copyOfRange(whole, idLength, whole.length));
  }

  /** A spec's encoding after its id: its fingerprint under any id costs one pass over those bytes. */
  public static final class Template {
    private final byte[] afterId;

    private Template(byte[] afterId) {
      this.afterId = afterId;
    }

    /** Equals {@code of(spec with modelId)}. */
    public long fingerprint(String modelId) {
      return Rabin.update(Rabin.update(Rabin.EMPTY, idPrefix(modelId)), afterId);
    }
  }

  private static byte[] encode(ModelSpec spec) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITER.write(spec, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode spec of " + spec.getModelId(), e);
    }
    return out.toByteArray();
  }

  /** An Avro string: zig-zag varint byte length, then the UTF-8 bytes. */
  private static byte[] idPrefix(String id) {
    byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length + 5];
    int n = 0;
    long v = ((long) utf8.length << 1); // zig-zag of a non-negative length
    while ((v & ~0x7FL) != 0) {
      out[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    System.arraycopy(utf8, 0, out, n, utf8.length);
    return Arrays.copyOf(out, n + utf8.length);
  }

  /** CRC-64-AVRO as the Avro specification defines it, resumable over consecutive byte runs. */
  private static final class Rabin {
    static final long EMPTY = 0xc15d213aa4d7a795L;
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long fp = i;
        for (int j = 0; j < 8; j++) {
          fp = (fp >>> 1) ^ (EMPTY & -(fp & 1L));
        }
        TABLE[i] = fp;
      }
    }

    static long update(long fp, byte[] bytes) {
      for (byte b : bytes) {
        fp = (fp >>> 8) ^ TABLE[(int) (fp ^ b) & 0xff];
      }
      return fp;
    }
  }
}
