package io.streamsgd.job.state;

import io.streamsgd.core.publish.ModelRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of a models-topic record on its way from the chunker to the Kafka sink. {@link #copy}
 * hands the record on as it is: its bytes are never changed once encoded. Never used for state.
 *
 * <p>Format 1: model id, key, timestamp, then the value length (-1 for a tombstone) and bytes.
 * Format 2: then a byte, 1 for a record of the published-specs topic.
 */
public final class ModelRecordTypeSerializer extends VersionedSerializer<ModelRecord> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 2;

  public ModelRecordTypeSerializer() {
    this(FORMAT);
  }

  private ModelRecordTypeSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<ModelRecord> forFormatVersion(int version) {
    return new ModelRecordTypeSerializer(version);
  }

  @Override
  protected void write(ModelRecord r, DataOutputView out) throws IOException {
    out.writeUTF(r.modelId());
    out.writeUTF(r.key());
    out.writeLong(r.timestamp());
    if (r.value() == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(r.value().length);
      out.write(r.value());
    }
    out.writeBoolean(r.spec());
  }

  @Override
  protected ModelRecord read(int version, DataInputView in) throws IOException {
    String modelId = in.readUTF();
    String key = in.readUTF();
    long timestamp = in.readLong();
    int length = in.readInt();
    byte[] value = null;
    if (length >= 0) {
      value = new byte[length];
      in.readFully(value);
    }
    boolean spec = version >= 2 && in.readBoolean();
    return new ModelRecord(modelId, key, value, timestamp, spec);
  }

  @Override
  public ModelRecord createInstance() {
    return null;
  }

  @Override
  public ModelRecord copy(ModelRecord from) {
    return from;
  }

  @Override
  public TypeSerializerSnapshot<ModelRecord> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link ModelRecordTypeSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<ModelRecord> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<ModelRecord> currentSerializer() {
      return new ModelRecordTypeSerializer();
    }
  }

  public static SerializerTypeInfo<ModelRecord> typeInfo() {
    return new SerializerTypeInfo<>(ModelRecord.class, ModelRecordTypeSerializer::new);
  }
}
