package io.streamsgd.job.state;

import io.streamsgd.job.train.OpenBatch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Format 1: count, target, nextCheck, openedAt, latencyTimer, eventBoundary, specPollTimer. */
public final class OpenBatchSerializer extends VersionedSerializer<OpenBatch> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;

  public OpenBatchSerializer() {
    this(FORMAT);
  }

  private OpenBatchSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<OpenBatch> forFormatVersion(int version) {
    return new OpenBatchSerializer(version);
  }

  @Override
  protected void write(OpenBatch b, DataOutputView out) throws IOException {
    out.writeInt(b.count);
    out.writeInt(b.target);
    out.writeInt(b.nextCheck);
    out.writeLong(b.openedAt);
    out.writeLong(b.latencyTimer);
    out.writeLong(b.eventBoundary);
    out.writeLong(b.specPollTimer);
  }

  @Override
  protected OpenBatch read(int version, DataInputView in) throws IOException {
    return new OpenBatch(
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readLong(),
        in.readLong(),
        in.readLong(),
        in.readLong());
  }

  @Override
  public OpenBatch createInstance() {
    return new OpenBatch();
  }

  @Override
  public OpenBatch copy(OpenBatch from) {
    return from == null
        ? null
        : new OpenBatch(
            from.count,
            from.target,
            from.nextCheck,
            from.openedAt,
            from.latencyTimer,
            from.eventBoundary,
            from.specPollTimer);
  }

  @Override
  public TypeSerializerSnapshot<OpenBatch> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link OpenBatchSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<OpenBatch> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<OpenBatch> currentSerializer() {
      return new OpenBatchSerializer();
    }
  }
}
