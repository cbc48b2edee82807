package io.streamsgd.job.state;

import io.streamsgd.job.source.TrainerInput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link TrainerInput}, the records the shuffle carries to the trainer (never kept in
 * state). Its {@link #copy} hands the input on: neither form is changed after it is built.
 *
 * <p>Format 1: a tag byte, then an undecoded record ({@link RawRecordSerializer}'s format; its key
 * is the routing key) or a sample ({@link SampleSerializer}'s).
 */
public final class TrainerInputSerializer extends VersionedSerializer<TrainerInput> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 1;
  private static final byte UNDECODED = 0;
  private static final byte DECODED = 1;

  private final RawRecordSerializer records = new RawRecordSerializer();
  private final SampleSerializer samples = new SampleSerializer();

  public TrainerInputSerializer() {
    this(FORMAT);
  }

  private TrainerInputSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<TrainerInput> forFormatVersion(int version) {
    return new TrainerInputSerializer(version);
  }

  @Override
  protected void write(TrainerInput input, DataOutputView out) throws IOException {
    if (input.raw() != null) {
      out.writeByte(UNDECODED);
      records.write(input.raw(), out);
    } else {
      out.writeByte(DECODED);
      samples.write(input.sample(), out);
    }
  }

  @Override
  protected TrainerInput read(int version, DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case UNDECODED:
        return TrainerInput.undecoded(records.read(RawRecordSerializer.FORMAT, in));
      case DECODED:
        return TrainerInput.decoded(samples.read(SampleSerializer.FORMAT, in));
      default:
        throw new IOException("not a trainer input: tag " + tag);
    }
  }

  @Override
  public TrainerInput createInstance() {
    return null;
  }

  @Override
  public TrainerInput copy(TrainerInput from) {
    return from;
  }

  @Override
  public TypeSerializerSnapshot<TrainerInput> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link TrainerInputSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<TrainerInput> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<TrainerInput> currentSerializer() {
      return new TrainerInputSerializer();
    }
  }
}
