package io.streamsgd.core.publish;

/**
 * The record keys of a chunked version: chunk 0 is keyed by the model id (so a model that stops
 * being chunked overwrites it), chunk i > 0 by the model id, NUL, and i in decimal. NUL cannot
 * occur in a model id ({@code SpecValidator.MODEL_ID}), so a key names one chunk of one model.
 */
public final class ChunkKeys {
  static final char SEPARATOR = '\0';

  private ChunkKeys() {}

  public static String key(String modelId, int index) {
    return index == 0 ? modelId : modelId + SEPARATOR + index;
  }

  /** The model id a record key belongs to. */
  public static String modelId(String key) {
    int at = key.indexOf(SEPARATOR);
    return at < 0 ? key : key.substring(0, at);
  }
}
