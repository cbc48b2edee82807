package io.streamsgd.job.state;

import io.streamsgd.core.drift.DriftDetector;
import io.streamsgd.core.metrics.PrequentialMetrics;
import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.spec.SpecShape;
import io.streamsgd.core.train.DivergenceRecord;
import io.streamsgd.core.train.DriftWatch;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.SparseParameters;
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
 *
 * <p>Format 3 writes a storage byte after the fingerprint: 0 for dense parameters (the layout
 * above), 1 for sparse storage: outputs, dimension, slot count, touch tracking (flag and origin),
 * the count of columns kept in parameter blocks (RocksDB layout), intercepts and their slots, then
 * the columns holding any non-zero value, in increasing order, each with its weights, slots and
 * touch marks; columns of zeros are not written, so a checkpoint grows with the touched columns.
 * Dense states of a shape now stored sparse move to sparse storage when an older format is read.
 *
 * <p>Format 4 appends the drift watch: a presence flag, then the detector's own state
 * (length-prefixed), whether it warns, warnings, drifts, the last drift's sample, the background
 * model's samples, whether the next batch reacts to a drift, and the background model itself
 * (presence flag, then this layout without a drift watch). Older formats read with the watch the
 * spec asks for, from scratch (none before drift detection existed).
 *
 * <p>Format 5 appends the reference direction of the inner-product test on running sums (the last
 * batch's mean gradient, see {@code BatchSums}): a presence flag, then the array. Older formats
 * read without one; the next batch then bounds the test's variances (see docs/batch-policies.md).
 */
public final class LearnerStateSerializer extends VersionedSerializer<LearnerState> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 5;
  private static final byte DENSE = 0;
  private static final byte SPARSE = 1;

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
    if (s.isSparse()) {
      out.writeByte(SPARSE);
      writeSparse(s.sparseParameters(), out);
    } else {
      out.writeByte(DENSE);
      writeDense(s, out);
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
    DriftWatch drift = s.drift();
    out.writeBoolean(drift != null);
    if (drift != null) {
      byte[] detector = drift.detector().toBytes();
      out.writeInt(detector.length);
      out.write(detector);
      out.writeBoolean(drift.warning());
      out.writeLong(drift.warnings());
      out.writeLong(drift.drifts());
      out.writeLong(drift.lastDriftSample());
      out.writeLong(drift.backgroundSamples());
      out.writeBoolean(drift.reactionDue());
      out.writeBoolean(drift.background() != null);
      if (drift.background() != null) {
        write(drift.background(), out);
      }
    }
    double[] direction = s.direction();
    out.writeBoolean(direction != null);
    if (direction != null) {
      DataViews.writeDoubles(direction, out);
    }
  }

  private DriftWatch readDrift(int version, ModelSpec spec, DataInputView in) throws IOException {
    if (version < 4) {
      return DriftWatch.of(spec.getDrift());
    }
    if (!in.readBoolean()) {
      return null;
    }
    byte[] detector = new byte[in.readInt()];
    in.readFully(detector);
    boolean warning = in.readBoolean();
    long warnings = in.readLong();
    long drifts = in.readLong();
    long lastDriftSample = in.readLong();
    long backgroundSamples = in.readLong();
    boolean reactionDue = in.readBoolean();
    LearnerState background = in.readBoolean() ? read(version, in) : null;
    return new DriftWatch(
        DriftDetector.fromBytes(detector),
        warning,
        warnings,
        drifts,
        lastDriftSample,
        background,
        backgroundSamples,
        reactionDue);
  }

  private static void writeDense(LearnerState s, DataOutputView out) throws IOException {
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
  }

  private static void writeSparse(SparseParameters p, DataOutputView out) throws IOException {
    int k = p.outputs();
    out.writeInt(k);
    out.writeInt(p.dimension());
    out.writeInt(p.slotCount());
    out.writeBoolean(p.tracksTouches());
    out.writeLong(p.touchedOrigin());
    out.writeLong(p.columnsElsewhere());
    DataViews.writeDoubles(p.intercepts(), out);
    for (double[] slot : p.interceptSlots()) {
      DataViews.writeDoubles(slot, out);
    }
    int[] positions = p.canonicalPositions();
    out.writeInt(positions.length);
    for (int pos : positions) {
      out.writeInt(p.column(pos));
      for (int j = 0; j < k; j++) {
        out.writeDouble(p.weight(pos, j));
        for (int s = 0; s < p.slotCount(); s++) {
          out.writeDouble(p.slot(s, pos, j));
        }
        if (p.tracksTouches()) {
          out.writeLong(p.touchedAt(pos, j));
        }
      }
    }
  }

  private static SparseParameters readSparse(DataInputView in) throws IOException {
    int k = in.readInt();
    int dimension = in.readInt();
    int slotCount = in.readInt();
    SparseParameters p = new SparseParameters(k, dimension, slotCount);
    boolean tracks = in.readBoolean();
    long origin = in.readLong();
    if (tracks) {
      p.startTrackingTouches(origin);
    }
    p.setColumnsElsewhere(in.readLong());
    System.arraycopy(DataViews.readDoubles(in), 0, p.intercepts(), 0, k);
    for (int s = 0; s < slotCount; s++) {
      System.arraycopy(DataViews.readDoubles(in), 0, p.interceptSlots()[s], 0, k);
    }
    int columns = in.readInt();
    for (int c = 0; c < columns; c++) {
      int pos = p.positionFor(in.readInt());
      for (int j = 0; j < k; j++) {
        p.setWeight(pos, j, in.readDouble());
        for (int s = 0; s < slotCount; s++) {
          p.setSlot(s, pos, j, in.readDouble());
        }
        if (tracks) {
          p.setTouchedAt(pos, j, in.readLong());
        }
      }
    }
    return p;
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
    Parameters parameters =
        version >= 3 && in.readByte() == SPARSE
            ? new Parameters(null, null, null, readSparse(in))
            : readDense(in);
    long modelVersion = in.readLong();
    long samplesSeen = in.readLong();
    int batchTarget = in.readInt();
    PrequentialMetrics metrics = new PrequentialMetrics(in.readLong(), DataViews.readDoubles(in));
    DivergenceRecord divergence =
        version < 2
            ? new DivergenceRecord()
            : new DivergenceRecord(in.readLong(), in.readInt(), in.readInt(), in.readDouble());
    if (parameters.sparse() == null && SpecShape.of(spec).sparseStorage()) {
      // Written before sparse storage: the shape is stored sparse now.
      parameters =
          new Parameters(
              null,
              null,
              null,
              SparseParameters.fromDense(
                  parameters.model(), parameters.slots(), parameters.touchedAt()));
    }
    LearnerState state =
        parameters.sparse() != null
            ? new LearnerState(
                spec,
                fingerprint,
                parameters.sparse(),
                modelVersion,
                samplesSeen,
                batchTarget,
                metrics,
                divergence)
            : new LearnerState(
                spec,
                fingerprint,
                parameters.model(),
                parameters.slots(),
                parameters.touchedAt(),
                modelVersion,
                samplesSeen,
                batchTarget,
                metrics,
                divergence);
    if (version >= 2) {
      state.withLineage(in.readInt(), in.readLong());
    }
    state.setDrift(readDrift(version, spec, in));
    if (version >= 5 && in.readBoolean()) {
      state.setDirection(DataViews.readDoubles(in));
    }
    return state;
  }

  /** The parameters as read: dense (model, slots, touch marks) or sparse. */
  private record Parameters(
      LinearModel model, double[][] slots, long[] touchedAt, SparseParameters sparse) {}

  private static Parameters readDense(DataInputView in) throws IOException {
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
    return new Parameters(model, slots, touchedAt, null);
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
