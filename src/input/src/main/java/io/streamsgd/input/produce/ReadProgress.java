package io.streamsgd.input.produce;

/** Told how far reading has come, on the reading thread, every few samples and at the end. */
@FunctionalInterface
public interface ReadProgress {
  /**
   * @param bytesRead bytes of the input read from disk (of the compressed file, for .gz)
   * @param samples samples read so far
   */
  void read(long bytesRead, long samples);
}
