package io.streamsgd.schema.codec;

/**
 * The Confluent wire format: byte {@code 0x00}, the writer schema's registry id as a 4-byte
 * big-endian int, then the Avro binary body. Single-object encoding starts with {@code C3 01}
 * instead, so a record's first byte tells the two apart.
 */
public final class ConfluentFraming {
  /** The format's first byte. */
  public static final byte MAGIC = 0;

  /** Magic byte and schema id. */
  public static final int HEADER = 5;

  private ConfluentFraming() {}

  /** Whether {@code bytes} start as a Confluent-framed record (magic byte and a whole id). */
  public static boolean isFramed(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER && bytes[0] == MAGIC;
  }

  /** The writer schema id of a framed record. */
  public static int schemaId(byte[] bytes) {
    return ((bytes[1] & 0xff) << 24)
        | ((bytes[2] & 0xff) << 16)
        | ((bytes[3] & 0xff) << 8)
        | (bytes[4] & 0xff);
  }

  /**
   * The same record in the Confluent framing: the single-object header replaced by the magic byte
   * and {@code schemaId}, the body untouched (both framings carry the same Avro binary body).
   */
  public static byte[] fromSingleObject(byte[] singleObject, int schemaId) {
    int body = singleObject.length - SingleObjectCodec.HEADER;
    byte[] out = new byte[HEADER + body];
    out[0] = MAGIC;
    out[1] = (byte) (schemaId >>> 24);
    out[2] = (byte) (schemaId >>> 16);
    out[3] = (byte) (schemaId >>> 8);
    out[4] = (byte) schemaId;
    System.arraycopy(singleObject, SingleObjectCodec.HEADER, out, HEADER, body);
    return out;
  }
}
