package io.streamsgd.core.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * ADWIN, adaptive windowing: A. Bifet and R. Gavaldà, "Learning from time-changing data with
 * adaptive windowing", SIAM International Conference on Data Mining, 2007 (the ADWIN2 variant, with
 * the window kept as an exponential histogram).
 *
 * <p>The window W of recent values is kept as rows of buckets: row i holds buckets that each sum
 * 2^i values (their total and their variance, as sums of squared deviations, Babcock et al. 2003).
 * A new value enters row 0 as a bucket of one; when a row holds {@code maxBuckets + 1} buckets its
 * two oldest merge into one bucket of the next row. So W takes O(M log |W|) memory. Every {@code
 * clock} samples, once the window is longer than {@code gracePeriod}, each bucket boundary splits W
 * into an older part W0 and a newer W1, and if some split with both parts at least {@code
 * minWindowLength} long has
 *
 * <pre>
 *   |mean(W0) - mean(W1)| > sqrt(2 m σ² δ') + 2/3 δ' m,
 *   m = 1/(|W0| - minWindowLength + 1) + 1/(|W1| - minWindowLength + 1),
 *   δ' = ln(2 ln|W| / delta), σ² = variance of W,
 * </pre>
 *
 * the oldest bucket is dropped and the check starts again on the shorter window; a change is
 * reported if at least one bucket was dropped.
 *
 * <p>This follows River's {@code river.drift.ADWIN} (its Cython {@code AdaptiveWindowing}) step for
 * step, defaults included (delta 0.002, clock 32, max_buckets 5, min_window_length 5, grace_period
 * 10), so the changes River's documentation and tests report are reported here at the same indices.
 * As in River, the window shrinks when a change is found and the detector then starts over from an
 * empty window on the sample after the one that reported the change. The check clock counts samples
 * since that start.
 */
public final class Adwin implements DriftDetector {
  public static final double DEFAULT_DELTA = 0.002;
  public static final int DEFAULT_CLOCK = 32;
  public static final int DEFAULT_MAX_BUCKETS = 5;
  public static final int DEFAULT_MIN_WINDOW_LENGTH = 5;
  public static final int DEFAULT_GRACE_PERIOD = 10;

  /** Rows of buckets at most: row 62's buckets each hold 2^62 values. */
  private static final int MAX_ROWS = 63;

  private static final int INITIAL_ROWS = 8;

  private final double delta;
  private final int clock;
  private final int maxBuckets;
  private final int minWindowLength;
  private final int gracePeriod;

  /** Slots per row: a row holds up to maxBuckets + 1 buckets just before it is compressed. */
  private final int stride;

  // bucket r*stride + k is row r's k-th bucket, oldest first; row 0 holds the newest values
  private double[] bucketTotal;
  private double[] bucketVariance;
  private int[] rowCount;
  private int rows;

  private double width;
  private double total;

  /** Sum of squared deviations from the window's mean. */
  private double variance;

  /** Samples since the window last started empty; a check runs when it is a multiple of clock. */
  private long tick;

  private boolean drift;
  private long samplesSeen;
  private long driftsDetected;

  /** ADWIN with River's defaults. */
  public Adwin() {
    this(
        DEFAULT_DELTA,
        DEFAULT_CLOCK,
        DEFAULT_MAX_BUCKETS,
        DEFAULT_MIN_WINDOW_LENGTH,
        DEFAULT_GRACE_PERIOD);
  }

  /** ADWIN with confidence {@code delta} and River's other defaults. */
  public Adwin(double delta) {
    this(
        delta, DEFAULT_CLOCK, DEFAULT_MAX_BUCKETS, DEFAULT_MIN_WINDOW_LENGTH, DEFAULT_GRACE_PERIOD);
  }

  /**
   * @param delta confidence of a cut, in (0, 1): smaller means fewer false alarms and later
   *     detections
   * @param clock check for a change every this many samples (1: every sample)
   * @param maxBuckets buckets of one size kept before the two oldest merge (at least 2)
   * @param minWindowLength the shortest W0 and W1 a cut may leave (at least 1)
   * @param gracePeriod no check until the window is longer than this
   */
  public Adwin(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("ADWIN delta must be in (0, 1), got " + delta);
    }
    if (clock < 1) {
      throw new IllegalArgumentException("ADWIN clock must be at least 1, got " + clock);
    }
    if (maxBuckets < 2 || maxBuckets > 1 << 16) {
      throw new IllegalArgumentException(
          "ADWIN max_buckets must be in [2, 65536], got " + maxBuckets);
    }
    if (minWindowLength < 1) {
      throw new IllegalArgumentException(
          "ADWIN min_window_length must be at least 1, got " + minWindowLength);
    }
    if (gracePeriod < 0) {
      throw new IllegalArgumentException(
          "ADWIN grace_period must not be negative, got " + gracePeriod);
    }
    this.delta = delta;
    this.clock = clock;
    this.maxBuckets = maxBuckets;
    this.minWindowLength = minWindowLength;
    this.gracePeriod = gracePeriod;
    this.stride = maxBuckets + 1;
    allocate(INITIAL_ROWS);
    clearWindow();
  }

  private void allocate(int rowCapacity) {
    bucketTotal = new double[rowCapacity * stride];
    bucketVariance = new double[rowCapacity * stride];
    rowCount = new int[rowCapacity];
  }

  private void clearWindow() {
    rows = 1;
    rowCount[0] = 0;
    width = 0;
    total = 0;
    variance = 0;
    tick = 0;
    drift = false;
  }

  @Override
  public DriftSignal update(double value) {
    StateIo.requireFinite(value);
    if (drift) {
      // River's ADWIN makes a new window on the sample after a detection
      clearWindow();
    }
    samplesSeen++;
    insert(value);
    drift = detectChange();
    if (drift) {
      driftsDetected++;
    }
    return drift ? DriftSignal.DRIFT : DriftSignal.STABLE;
  }

  private void insert(double value) {
    int c = rowCount[0];
    bucketTotal[c] = value;
    bucketVariance[c] = 0.0;
    rowCount[0] = c + 1;
    width += 1;
    if (width > 1.0) {
      double d = value - total / (width - 1.0);
      variance += (width - 1.0) * d * d / width;
    }
    total += value;
    compress();
  }

  /** Merges the two oldest buckets of each full row into one of the next row, row 0 first. */
  private void compress() {
    for (int r = 0; rowCount[r] == maxBuckets + 1; r++) {
      if (r + 1 == rows) {
        addRow();
      }
      int base = r * stride;
      double size = (double) (1L << r);
      double t0 = bucketTotal[base];
      double t1 = bucketTotal[base + 1];
      double mu0 = t0 / size;
      double mu1 = t1 / size;
      // merged variance: v0 + v1 + n0 n1 (mu0 - mu1)^2 / (n0 + n1), with n0 = n1
      double temp = size * 0.5 * (mu0 - mu1) * (mu0 - mu1);
      double merged = bucketVariance[base] + bucketVariance[base + 1] + temp;
      int next = (r + 1) * stride + rowCount[r + 1];
      bucketTotal[next] = t0 + t1;
      bucketVariance[next] = merged;
      rowCount[r + 1]++;
      dropOldest(r, 2);
      if (rowCount[r + 1] <= maxBuckets) {
        break;
      }
    }
  }

  private void addRow() {
    if (rows == MAX_ROWS) {
      throw new IllegalStateException("ADWIN window past 2^" + (MAX_ROWS - 1) + " buckets");
    }
    if (rows == rowCount.length) {
      int capacity = Math.min(MAX_ROWS, rows * 2);
      bucketTotal = Arrays.copyOf(bucketTotal, capacity * stride);
      bucketVariance = Arrays.copyOf(bucketVariance, capacity * stride);
      rowCount = Arrays.copyOf(rowCount, capacity);
    }
    rowCount[rows] = 0;
    rows++;
  }

  private void dropOldest(int row, int n) {
    int base = row * stride;
    int remaining = rowCount[row] - n;
    System.arraycopy(bucketTotal, base + n, bucketTotal, base, remaining);
    System.arraycopy(bucketVariance, base + n, bucketVariance, base, remaining);
    rowCount[row] = remaining;
  }

  /** Drops the window's oldest bucket, the first of the last row. */
  private void deleteOldestBucket() {
    int r = rows - 1;
    int base = r * stride;
    double n = (double) (1L << r);
    double u = bucketTotal[base];
    double mu = u / n;
    double v = bucketVariance[base];
    width -= n;
    total -= u;
    double muWindow = total / width;
    variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
    dropOldest(r, 1);
    if (rowCount[r] == 0) {
      rows--;
    }
  }

  private boolean detectChange() {
    boolean change = false;
    tick++;
    if (tick % clock != 0 || !(width > gracePeriod)) {
      return false;
    }
    boolean reduce = true;
    while (reduce) {
      reduce = false;
      double n0 = 0.0;
      double n1 = width;
      double u0 = 0.0;
      double u1 = total;
      // depends on the window's width only, which changes only when a bucket is dropped
      double deltaPrime = StrictMath.log(2 * StrictMath.log(width) / delta);
      double varianceInWindow = variance / width;
      cuts:
      for (int r = rows - 1; r >= 0; r--) {
        int base = r * stride;
        int count = rowCount[r];
        double size = (double) (1L << r);
        for (int k = 0; k < count; k++) {
          double t = bucketTotal[base + k];
          n0 += size;
          n1 -= size;
          u0 += t;
          u1 -= t;
          if (r == 0 && k == count - 1) {
            break cuts; // W1 would be empty
          }
          double deltaMean = (u0 / n0) - (u1 / n1);
          if (n1 >= minWindowLength
              && n0 >= minWindowLength
              && cut(n0, n1, deltaMean, deltaPrime, varianceInWindow)) {
            reduce = true;
            change = true;
            deleteOldestBucket();
            break cuts;
          }
        }
      }
    }
    return change;
  }

  private boolean cut(
      double n0, double n1, double deltaMean, double deltaPrime, double varianceInWindow) {
    double mRecip = (1.0 / (n0 - minWindowLength + 1)) + (1.0 / (n1 - minWindowLength + 1));
    double epsilon =
        StrictMath.sqrt(2 * mRecip * varianceInWindow * deltaPrime)
            + 2.0 / 3.0 * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  @Override
  public void reset() {
    clearWindow();
    samplesSeen = 0;
    driftsDetected = 0;
  }

  @Override
  public long samplesSeen() {
    return samplesSeen;
  }

  @Override
  public long driftsDetected() {
    return driftsDetected;
  }

  @Override
  public DriftDetectorKind kind() {
    return DriftDetectorKind.ADWIN;
  }

  /** Values in the window (River's {@code width}). */
  public long width() {
    return (long) width;
  }

  /** Sum of the values in the window (River's {@code total}). */
  public double total() {
    return total;
  }

  /** Sum of squared deviations from the window's mean (River's {@code variance}). */
  public double variance() {
    return variance;
  }

  /** Mean of the window, 0 when it is empty (River's {@code estimation}). */
  public double estimation() {
    return width == 0 ? 0.0 : total / width;
  }

  /** Buckets in the exponential histogram, over all rows. */
  public int bucketCount() {
    int n = 0;
    for (int r = 0; r < rows; r++) {
      n += rowCount[r];
    }
    return n;
  }

  /** Rows of buckets in the exponential histogram (row i's buckets hold 2^i values each). */
  public int rowCount() {
    return rows;
  }

  /** Buckets in row {@code row}. */
  public int bucketsInRow(int row) {
    return row < rows ? rowCount[row] : 0;
  }

  public double delta() {
    return delta;
  }

  public int clock() {
    return clock;
  }

  public int maxBuckets() {
    return maxBuckets;
  }

  public int minWindowLength() {
    return minWindowLength;
  }

  public int gracePeriod() {
    return gracePeriod;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    StateIo.writeHeader(out, kind());
    StateIo.writeDouble(out, delta);
    out.writeInt(clock);
    out.writeInt(maxBuckets);
    out.writeInt(minWindowLength);
    out.writeInt(gracePeriod);
    out.writeLong(samplesSeen);
    out.writeLong(driftsDetected);
    out.writeBoolean(drift);
    out.writeLong(tick);
    StateIo.writeDouble(out, width);
    StateIo.writeDouble(out, total);
    StateIo.writeDouble(out, variance);
    out.writeByte(rows);
    for (int r = 0; r < rows; r++) {
      int count = rowCount[r];
      out.writeInt(count);
      int base = r * stride;
      for (int k = 0; k < count; k++) {
        StateIo.writeDouble(out, bucketTotal[base + k]);
        StateIo.writeDouble(out, bucketVariance[base + k]);
      }
    }
  }

  /** Reads the fields {@link #writeTo} wrote after the header. */
  static Adwin readBody(DataInput in) throws IOException {
    double delta = StateIo.readDouble(in);
    int clock = in.readInt();
    int maxBuckets = in.readInt();
    int minWindowLength = in.readInt();
    int gracePeriod = in.readInt();
    Adwin a =
        StateIo.params(() -> new Adwin(delta, clock, maxBuckets, minWindowLength, gracePeriod));
    a.samplesSeen = StateIo.readCount(in, "sample count");
    a.driftsDetected = StateIo.readCount(in, "drift count");
    a.drift = in.readBoolean();
    a.tick = StateIo.readCount(in, "clock tick");
    a.width = StateIo.readDouble(in);
    a.total = StateIo.readDouble(in);
    a.variance = StateIo.readDouble(in);
    int rows = in.readUnsignedByte();
    if (rows < 1 || rows > MAX_ROWS) {
      throw new IOException("ADWIN state with " + rows + " rows of buckets");
    }
    int capacity = INITIAL_ROWS;
    while (capacity < rows) {
      capacity = Math.min(MAX_ROWS, capacity * 2);
    }
    a.allocate(capacity);
    a.rows = rows;
    double buckets = 0;
    for (int r = 0; r < rows; r++) {
      int count = in.readInt();
      // a row holds at most maxBuckets between updates; only the last may be empty (an empty
      // window's row 0)
      if (count < 0 || count > maxBuckets || (count == 0 && !(r == 0 && rows == 1))) {
        throw new IOException("ADWIN state with " + count + " buckets in row " + r);
      }
      a.rowCount[r] = count;
      int base = r * a.stride;
      for (int k = 0; k < count; k++) {
        a.bucketTotal[base + k] = StateIo.readDouble(in);
        a.bucketVariance[base + k] = StateIo.readDouble(in);
      }
      buckets += count * (double) (1L << r);
    }
    if (buckets != a.width) {
      throw new IOException(
          "ADWIN state whose buckets hold " + buckets + " values for a width of " + a.width);
    }
    return a;
  }
}
