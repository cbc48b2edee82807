package io.streamsgd.job.state;

import io.streamsgd.core.train.BatchSums;
import io.streamsgd.job.train.OpenBatch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Format 1: count, target, nextCheck, openedAt, latencyTimer, eventBoundary, specPollTimer. Format
 * 2 adds the batch's running sums when it has them ({@link BatchSums}): a presence flag, then k, d,
 * whether the tests' sums are formed, the weight and loss sums, the event-time span, the k x d and
 * k gradient sums (arrays, {@link DataViews}' layout), the columns sparse samples touched (a flag,
 * then d booleans), the five test sums and, per sample, weight, loss, error, event time and whether
 * it was classified right. Format 1 state has no sums: its open batches keep their samples until
 * they close.
 */
public final class OpenBatchSerializer extends VersionedSerializer<OpenBatch> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 2;

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
    out.writeBoolean(b.sums != null);
    if (b.sums != null) {
      writeSums(b.sums, out);
    }
  }

  private static void writeSums(BatchSums s, DataOutputView out) throws IOException {
    out.writeInt(s.outputs());
    out.writeInt(s.dimension());
    out.writeBoolean(s.withStatistics());
    out.writeDouble(s.weightSum());
    out.writeDouble(s.lossSum());
    out.writeLong(s.eventTimeMin());
    out.writeLong(s.eventTimeMax());
    DataViews.writeDoubles(s.weightGradientSum(), out);
    DataViews.writeDoubles(s.interceptGradientSum(), out);
    boolean[] touched = s.touchedColumns();
    out.writeBoolean(touched != null);
    if (touched != null) {
      for (boolean t : touched) {
        out.writeBoolean(t);
      }
    }
    out.writeDouble(s.sumSquares());
    out.writeDouble(s.sumProjection());
    out.writeDouble(s.sumProjectionSquares());
    out.writeDouble(s.sumResidualSquares());
    out.writeDouble(s.sumResidualProjection());
    int n = s.size();
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeDouble(s.sampleWeight(i));
      out.writeDouble(s.sampleLoss(i));
      out.writeDouble(s.sampleError(i));
      out.writeLong(s.sampleTime(i));
      out.writeBoolean(s.sampleCorrect(i));
    }
  }

  private static BatchSums readSums(DataInputView in) throws IOException {
    int k = in.readInt();
    int d = in.readInt();
    boolean withStatistics = in.readBoolean();
    double weightSum = in.readDouble();
    double lossSum = in.readDouble();
    long tMin = in.readLong();
    long tMax = in.readLong();
    double[] gradW = DataViews.readDoubles(in);
    double[] gradB = DataViews.readDoubles(in);
    if (gradW.length != k * d || gradB.length != k) {
      throw new IOException("running sums of " + k + " x " + d + " hold arrays of another size");
    }
    boolean[] touched = null;
    if (in.readBoolean()) {
      touched = new boolean[d];
      for (int c = 0; c < d; c++) {
        touched[c] = in.readBoolean();
      }
    }
    double sumSquares = in.readDouble();
    double sumProjection = in.readDouble();
    double sumProjectionSquares = in.readDouble();
    double sumResidualSquares = in.readDouble();
    double sumResidualProjection = in.readDouble();
    int n = in.readInt();
    double[] weights = new double[n];
    double[] losses = new double[n];
    double[] errors = new double[n];
    long[] times = new long[n];
    boolean[] correct = new boolean[n];
    for (int i = 0; i < n; i++) {
      weights[i] = in.readDouble();
      losses[i] = in.readDouble();
      errors[i] = in.readDouble();
      times[i] = in.readLong();
      correct[i] = in.readBoolean();
    }
    return BatchSums.restore(
        k,
        d,
        withStatistics,
        weightSum,
        lossSum,
        tMin,
        tMax,
        gradW,
        gradB,
        touched,
        sumSquares,
        sumProjection,
        sumProjectionSquares,
        sumResidualSquares,
        sumResidualProjection,
        weights,
        losses,
        errors,
        times,
        correct);
  }

  @Override
  protected OpenBatch read(int version, DataInputView in) throws IOException {
    OpenBatch b =
        new OpenBatch(
            in.readInt(),
            in.readInt(),
            in.readInt(),
            in.readLong(),
            in.readLong(),
            in.readLong(),
            in.readLong());
    if (version >= 2 && in.readBoolean()) {
      b.sums = readSums(in);
    }
    return b;
  }

  @Override
  public OpenBatch createInstance() {
    return new OpenBatch();
  }

  @Override
  public OpenBatch copy(OpenBatch from) {
    if (from == null) {
      return null;
    }
    OpenBatch b =
        new OpenBatch(
            from.count,
            from.target,
            from.nextCheck,
            from.openedAt,
            from.latencyTimer,
            from.eventBoundary,
            from.specPollTimer);
    b.sums = from.sums == null ? null : from.sums.copy();
    return b;
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
