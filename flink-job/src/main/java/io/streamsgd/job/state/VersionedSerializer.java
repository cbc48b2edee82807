package io.streamsgd.job.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the project's state serializers: a binary layout with a format version. A serializer
 * writes the current format; one restored from an older snapshot reads the format it was written
 * in, so Flink can migrate state on restore (see {@link VersionedSerializerSnapshot}).
 */
public abstract class VersionedSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final int formatVersion;

  protected VersionedSerializer(int formatVersion) {
    if (formatVersion < 1 || formatVersion > currentFormatVersion()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " cannot read format version " + formatVersion);
    }
    this.formatVersion = formatVersion;
  }

  /** The layout this code writes. */
  public abstract int currentFormatVersion();

  /** A serializer for an older (or the current) layout. */
  public abstract VersionedSerializer<T> forFormatVersion(int version);

  protected abstract void write(T value, DataOutputView out) throws IOException;

  /** Reads one value written in {@code version}'s layout. */
  protected abstract T read(int version, DataInputView in) throws IOException;

  public final int formatVersion() {
    return formatVersion;
  }

  @Override
  public final void serialize(T value, DataOutputView target) throws IOException {
    if (formatVersion != currentFormatVersion()) {
      throw new IllegalStateException(
          "a restore-only serializer of format " + formatVersion + " does not write state");
    }
    write(value, target);
  }

  @Override
  public final T deserialize(DataInputView source) throws IOException {
    return read(formatVersion, source);
  }

  @Override
  public final T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    write(read(formatVersion, source), target);
  }

  @Override
  public final T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public final boolean isImmutableType() {
    return false;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final TypeSerializer<T> duplicate() {
    return this; // stateless
  }

  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && ((VersionedSerializer<?>) o).formatVersion == formatVersion;
  }

  @Override
  public int hashCode() {
    return getClass().hashCode() * 31 + formatVersion;
  }
}
