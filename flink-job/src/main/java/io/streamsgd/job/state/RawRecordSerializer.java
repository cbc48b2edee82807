package io.streamsgd.job.state;

import io.streamsgd.job.source.RawRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link RawRecord}. Its {@link #copy} hands the record on as it is: raw records are
 * never changed once read, and copying the bytes of every record between the chained source and
 * decoder (what Flink's POJO serializer does without object reuse) is pure cost.
 *
 * <p>Format 1: topic (UTF), partition, offset, timestamp, key and value as length-prefixed bytes
 * (length -1 for null).
 */
public final class RawRecordSerializer extends VersionedSerializer<RawRecord> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;

  public RawRecordSerializer() {
    this(FORMAT);
  }

  private RawRecordSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<RawRecord> forFormatVersion(int version) {
    return new RawRecordSerializer(version);
  }

  @Override
  protected void write(RawRecord r, DataOutputView out) throws IOException {
    out.writeUTF(r.topic);
    out.writeInt(r.partition);
    out.writeLong(r.offset);
    out.writeLong(r.timestamp);
    writeBytes(r.key, out);
    writeBytes(r.value, out);
  }

  @Override
  protected RawRecord read(int version, DataInputView in) throws IOException {
    return new RawRecord(
        in.readUTF(), in.readInt(), in.readLong(), in.readLong(), readBytes(in), readBytes(in));
  }

  private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  @Override
  public RawRecord createInstance() {
    return new RawRecord();
  }

  @Override
  public RawRecord copy(RawRecord from) {
    return from;
  }

  @Override
  public TypeSerializerSnapshot<RawRecord> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link RawRecordSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<RawRecord> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<RawRecord> currentSerializer() {
      return new RawRecordSerializer();
    }
  }
}
