package io.streamsgd.job.state;

import io.streamsgd.job.train.ParameterBlock;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Format 1: columns, values, touch-mark flag and marks. */
public final class ParameterBlockSerializer extends VersionedSerializer<ParameterBlock> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;

  public ParameterBlockSerializer() {
    this(FORMAT);
  }

  private ParameterBlockSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<ParameterBlock> forFormatVersion(int version) {
    return new ParameterBlockSerializer(version);
  }

  @Override
  protected void write(ParameterBlock b, DataOutputView out) throws IOException {
    DataViews.writeInts(b.columns(), out);
    DataViews.writeDoubles(b.values(), out);
    long[] touched = b.touchedAt();
    out.writeBoolean(touched != null);
    if (touched != null) {
      out.writeInt(touched.length);
      for (long t : touched) {
        out.writeLong(t);
      }
    }
  }

  @Override
  protected ParameterBlock read(int version, DataInputView in) throws IOException {
    int[] columns = DataViews.readInts(in);
    double[] values = DataViews.readDoubles(in);
    long[] touched = null;
    if (in.readBoolean()) {
      touched = new long[in.readInt()];
      for (int i = 0; i < touched.length; i++) {
        touched[i] = in.readLong();
      }
    }
    return new ParameterBlock(columns, values, touched);
  }

  @Override
  public ParameterBlock createInstance() {
    return null;
  }

  @Override
  public ParameterBlock copy(ParameterBlock from) {
    return from == null
        ? null
        : new ParameterBlock(
            from.columns().clone(),
            from.values().clone(),
            from.touchedAt() == null ? null : from.touchedAt().clone());
  }

  @Override
  public TypeSerializerSnapshot<ParameterBlock> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link ParameterBlockSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<ParameterBlock> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<ParameterBlock> currentSerializer() {
      return new ParameterBlockSerializer();
    }
  }
}
