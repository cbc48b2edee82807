package io.streamsgd.job.state;

import io.streamsgd.core.metrics.PrequentialMetrics;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.train.DivergenceRecord;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary layout of a model's whole {@link LearnerState}.
 *
 * <p>Format 1: spec (Avro single-object bytes, so a later spec schema can still read it), spec
 * fingerprint, outputs, dimension, weights, intercepts, slot count and slots, touched-at flag and
 * array, version, samples seen, next batch target, prequential count and sums.
 *
 * <p>Format 2 appends the divergence record (rejected batches, consecutive rejections, backoffs,
 * learning-rate scale) and the lineage (number, first version). State written in format 1 is read
 * with a clean record and rewritten in format 2 when a savepoint is restored.
 */
public final class LearnerStateSerializer extends VersionedSerializer<LearnerState> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 2;

  /** The format this code writes, for the migration tests' snapshot writer. */
  public static final int FORMAT_FOR_TESTS = FORMAT;

  public LearnerStateSerializer() {
    this(FORMAT);
  }

  private LearnerStateSerializer(int formatVersion) {
    super(formatVersion);
  }

  @Override
  public int currentFormatVersion() {
    return FORMAT;
  }

  @Override
  public VersionedSerializer<LearnerState> forFormatVersion(int version) {
    return new LearnerStateSerializer(version);
  }

  @Override
  protected void write(LearnerState s, DataOutputView out) throws IOException {
    byte[] spec = Codecs.MODEL_SPEC.encode(s.spec());
    out.writeInt(spec.length);
    out.write(spec);
    out.writeLong(s.specFingerprint());
    LinearModel m = s.model();
    out.writeInt(m.outputs());
    out.writeInt(m.dimension());
    DataViews.writeDoubles(m.weights(), out);
    DataViews.writeDoubles(m.intercepts(), out);
    out.writeInt(s.slots().length);
    for (double[] slot : s.slots()) {
      DataViews.writeDoubles(slot, out);
    }
    long[] touchedAt = s.touchedAt();
    out.writeBoolean(touchedAt != null);
    if (touchedAt != null) {
      out.writeInt(touchedAt.length);
      for (long t : touchedAt) {
        out.writeLong(t);
      }
    }
    out.writeLong(s.version());
    out.writeLong(s.samplesSeen());
    out.writeInt(s.batchTarget());
    PrequentialMetrics metrics = s.metrics();
    out.writeLong(metrics.count());
    DataViews.writeDoubles(metrics.sums(), out);
    DivergenceRecord d = s.divergence();
    out.writeLong(d.rejectedBatches());
    out.writeInt(d.consecutiveRejections());
    out.writeInt(d.backoffs());
    out.writeDouble(d.learningRateScale());
    out.writeInt(s.lineage());
    out.writeLong(s.lineageStartVersion());
  }

  @Override
  protected LearnerState read(int version, DataInputView in) throws IOException {
    byte[] specBytes = new byte[in.readInt()];
    in.readFully(specBytes);
    ModelSpec spec;
    try {
      spec = Codecs.MODEL_SPEC.decode(specBytes);
    } catch (DecodeException e) {
      throw new IOException("model state holds an unreadable spec: " + e.getMessage(), e);
    }
    long fingerprint = in.readLong();
    int outputs = in.readInt();
    int dimension = in.readInt();
    LinearModel model =
        new LinearModel(outputs, dimension, DataViews.readDoubles(in), DataViews.readDoubles(in));
    double[][] slots = new double[in.readInt()][];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = DataViews.readDoubles(in);
    }
    long[] touchedAt = null;
    if (in.readBoolean()) {
      touchedAt = new long[in.readInt()];
      for (int i = 0; i < touchedAt.length; i++) {
        touchedAt[i] = in.readLong();
      }
    }
    long modelVersion = in.readLong();
    long samplesSeen = in.readLong();
    int batchTarget = in.readInt();
    PrequentialMetrics metrics = new PrequentialMetrics(in.readLong(), DataViews.readDoubles(in));
    if (version < 2) {
      return new LearnerState(
          spec,
          fingerprint,
          model,
          slots,
          touchedAt,
          modelVersion,
          samplesSeen,
          batchTarget,
          metrics,
          new DivergenceRecord());
    }
    DivergenceRecord divergence =
        new DivergenceRecord(in.readLong(), in.readInt(), in.readInt(), in.readDouble());
    return new LearnerState(
            spec,
            fingerprint,
            model,
            slots,
            touchedAt,
            modelVersion,
            samplesSeen,
            batchTarget,
            metrics,
            divergence)
        .withLineage(in.readInt(), in.readLong());
  }

  @Override
  public LearnerState createInstance() {
    return null;
  }

  @Override
  public LearnerState copy(LearnerState from) {
    return from == null ? null : from.copy();
  }

  @Override
  public TypeSerializerSnapshot<LearnerState> snapshotConfiguration() {
    return new Snapshot(formatVersion());
  }

  /** Snapshot of {@link LearnerStateSerializer}. */
  public static final class Snapshot extends VersionedSerializerSnapshot<LearnerState> {
    public Snapshot() {}

    Snapshot(int formatVersion) {
      super(formatVersion);
    }

    @Override
    protected VersionedSerializer<LearnerState> currentSerializer() {
      return new LearnerStateSerializer();
    }
  }
}
