package io.streamsgd.core.feature;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The documented feature hash: MurmurHash3 x86 32-bit (Appleby) of the name's UTF-8 bytes with seed
 * 0; a model with {@code hashBits = b} uses the lowest b bits as the index. Any producer language
 * can reproduce it (e.g. Python {@code mmh3.hash(name, 0, signed=False) & (2**b - 1)}).
 */
public final class FeatureHasher {
  private FeatureHasher() {}

  /** The full 32-bit hash of a feature name. */
  public static int hash(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    return MurmurHash3.hash32x86(bytes, 0, bytes.length, 0);
  }

  /** The bucket of a feature name among 2^bits. */
  public static int bucket(String name, int bits) {
    return hash(name) & ((1 << bits) - 1);
  }
}
