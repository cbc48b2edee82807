package io.streamsgd.job.state;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact binary layout of a {@link Sample}: primitive arrays, no Avro and no boxing. Used both for
 * records crossing the keyBy and for the open minibatch in keyed state.
 *
 * <p>Format 1: modelId (UTF), eventTime, label, weight, feature kind (0 dense, 1 sparse, 2 hashed),
 * [indices], values, origin stream (UTF), partition, offset.
 */
public final class SampleSerializer extends VersionedSerializer<Sample> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;
  private static final FeatureVector.Kind[] KINDS = FeatureVector.Kind.values();

  public SampleSerializer() {
    this(FORMAT);
  }

  private SampleSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<Sample> forFormatVersion(int version) {
    return new SampleSerializer(version);
  }

  @Override
  protected void write(Sample s, DataOutputView out) throws IOException {
    out.writeUTF(s.modelId());
    out.writeLong(s.eventTime());
    out.writeDouble(s.label());
    out.writeDouble(s.weight());
    FeatureVector f = s.features();
    out.writeByte(f.kind().ordinal());
    if (!f.isDense()) {
      DataViews.writeInts(f.indices(), out);
    }
    DataViews.writeDoubles(f.values(), out);
    out.writeUTF(s.origin().stream());
    out.writeInt(s.origin().partition());
    out.writeLong(s.origin().offset());
  }

  @Override
  protected Sample read(int version, DataInputView in) throws IOException {
    String modelId = in.readUTF();
    long eventTime = in.readLong();
    double label = in.readDouble();
    double weight = in.readDouble();
    FeatureVector.Kind kind = KINDS[in.readByte()];
    int[] indices = kind == FeatureVector.Kind.DENSE ? null : DataViews.readInts(in);
    double[] values = DataViews.readDoubles(in);
    Sample.Origin origin = new Sample.Origin(in.readUTF(), in.readInt(), in.readLong());
    FeatureVector f =
        switch (kind) {
          case DENSE -> FeatureVector.dense(values);
          case SPARSE -> FeatureVector.sparse(indices, values);
          case HASHED -> FeatureVector.hashed(indices, values);
        };
    return new Sample(modelId, f, label, weight, eventTime, origin);
  }

  @Override
  public Sample createInstance() {
    return null;
  }

  @Override
  public Sample copy(Sample from) {
    return from; // samples are never mutated once built
  }

  @Override
  public TypeSerializerSnapshot<Sample> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link SampleSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<Sample> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<Sample> currentSerializer() {
      return new SampleSerializer();
    }
  }
}
