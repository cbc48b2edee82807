package io.streamsgd.job.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Records which format version wrote a piece of state. On restore, state in an older format is read
 * by a serializer of that format and rewritten in the current one ({@code
 * compatibleAfterMigration}); state in the current format is used as it is.
 */
public abstract class VersionedSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
  private int formatVersion;

  protected VersionedSerializerSnapshot() {}

  protected VersionedSerializerSnapshot(int formatVersion) {
    this.formatVersion = formatVersion;
  }

  /** A serializer of the current format. */
  protected abstract VersionedSerializer<T> currentSerializer();

  @Override
  public int getCurrentVersion() {
    return currentSerializer().currentFormatVersion();
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    // The snapshot's own version (written by Flink) already is the format version.
  }

  @Override
  public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
      throws IOException {
    this.formatVersion = readVersion;
  }

  @Override
  public TypeSerializer<T> restoreSerializer() {
    return currentSerializer().forFormatVersion(formatVersion);
  }

  @Override
  public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
      TypeSerializerSnapshot<T> oldSnapshot) {
    if (oldSnapshot == null || oldSnapshot.getClass() != getClass()) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    int oldVersion = ((VersionedSerializerSnapshot<T>) oldSnapshot).formatVersion;
    if (oldVersion == getCurrentVersion()) {
      return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
    return oldVersion < getCurrentVersion()
        ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
        : TypeSerializerSchemaCompatibility.incompatible();
  }
}
