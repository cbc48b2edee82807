package io.streamsgd.schema.codec;

/** Bytes that are not a readable single-object-encoded record, and the kind of failure. */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarse enough to map onto dead-letter reasons. */
  public enum Kind {
    /** The bytes do not start with the single-object marker C3 01. */
    NOT_SINGLE_OBJECT,
    /** The writer schema's fingerprint is not one this reader knows. */
    UNKNOWN_SCHEMA,
    /** The body ends before the record does. */
    TRUNCATED,
    /** The body is not a valid encoding of the writer schema. */
    MALFORMED
  }

  private final Kind kind;

  public DecodeException(Kind kind, String message) {
    super(message, null, false, false); // no stack trace: thrown per bad record on the hot path
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
