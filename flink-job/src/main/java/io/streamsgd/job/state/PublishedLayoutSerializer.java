package io.streamsgd.job.state;

import io.streamsgd.job.sink.PublishedLayout;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * State serializer of a model's {@link PublishedLayout}.
 *
 * <p>Format 1: chunk count (int), whether a spec is published (boolean), its fingerprint (long).
 */
public final class PublishedLayoutSerializer extends VersionedSerializer<PublishedLayout> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;

  public PublishedLayoutSerializer() {
    this(FORMAT);
  }

  private PublishedLayoutSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<PublishedLayout> forFormatVersion(int version) {
    return new PublishedLayoutSerializer(version);
  }

  @Override
  protected void write(PublishedLayout value, DataOutputView out) throws IOException {
    out.writeInt(value.chunks);
    out.writeBoolean(value.specPublished);
    out.writeLong(value.specFingerprint);
  }

  @Override
  protected PublishedLayout read(int version, DataInputView in) throws IOException {
    return new PublishedLayout(in.readInt(), in.readBoolean(), in.readLong());
  }

  @Override
  public PublishedLayout createInstance() {
    return new PublishedLayout();
  }

  @Override
  public PublishedLayout copy(PublishedLayout from) {
    return new PublishedLayout(from.chunks, from.specPublished, from.specFingerprint);
  }

  @Override
  public TypeSerializerSnapshot<PublishedLayout> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link PublishedLayoutSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<PublishedLayout> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<PublishedLayout> currentSerializer() {
      return new PublishedLayoutSerializer();
    }
  }
}
