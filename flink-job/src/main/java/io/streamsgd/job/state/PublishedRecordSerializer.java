package io.streamsgd.job.state;

import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.SingleObjectCodec;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of a record the job publishes (model updates, dead letters) on its way from the
 * operator that makes it to the Kafka sink. {@link #copy} hands the record on as it is: the trainer
 * never changes an update once emitted, and Avro's deep copy of every update between the chained
 * trainer and sink cost as much as encoding it. Never used for state.
 *
 * <p>Format 1: the record's single-object encoding, length-prefixed.
 */
public final class PublishedRecordSerializer<T extends SpecificRecord>
    extends VersionedSerializer<T> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;

  private final Class<T> type;
  private transient SingleObjectCodec<T> codec;

  public PublishedRecordSerializer(Class<T> type) {
    this(type, FORMAT);
  }

  private PublishedRecordSerializer(Class<T> type, int formatVersion) {
    super(formatVersion);
    this.type = type;
  }

  private SingleObjectCodec<T> codec() {
    if (codec == null) {
      codec = SingleObjectCodec.of(type);
    }
    return codec;
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<T> forFormatVersion(int version) {
    return new PublishedRecordSerializer<>(type, version);
  }

  @Override
  protected void write(T value, DataOutputView out) throws IOException {
    byte[] bytes = codec().encode(value);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Override
  protected T read(int version, DataInputView in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    try {
      return codec().decode(bytes);
    } catch (DecodeException e) {
      throw new IOException("corrupt " + type.getSimpleName() + " in flight: " + e.getMessage(), e);
    }
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from) {
    return from;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((PublishedRecordSerializer<?>) o).type == type;
  }

  @Override
  public int hashCode() {
    return super.hashCode() * 31 + type.getName().hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(type, formatVersion());
  }

  /** Snapshot of {@link PublishedRecordSerializer}: the format and the record class. */
  public static final class Snapshot<T extends SpecificRecord>
      extends VersionedSerializerSnapshot<T> {
    private Class<T> type;

    public Snapshot() {}

    Snapshot(Class<T> type, int formatVersion) {
      super(formatVersion);
      this.type = type;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
        throws IOException {
      super.readSnapshot(readVersion, in, classLoader);
      String name = in.readUTF();
      try {
        type = (Class<T>) Class.forName(name, false, classLoader);
      } catch (ClassNotFoundException e) {
        throw new IOException("record class " + name + " is not on the class path", e);
      }
    }

    @Override
    protected VersionedSerializer<T> currentSerializer() {
      return new PublishedRecordSerializer<>(type);
    }
  }

  /** Type information for a published record type. */
  public static <T extends SpecificRecord> SerializerTypeInfo<T> typeInfo(Class<T> type) {
    return new SerializerTypeInfo<>(type, () -> new PublishedRecordSerializer<>(type));
  }
}
