package io.streamsgd.core.train;

import io.streamsgd.core.model.LinearModel;
import java.util.Arrays;

/**
 * The parameters of a large model as the trainer stores them: only the columns (feature indices)
 * that samples have touched, each with its weight per output, its optimizer slots and, once lazy
 * regularization is in use, the update that last touched it. Memory and checkpoints grow with the
 * touched columns, not with the dimension (a 2^24-weight hashed model that has met 50,000 features
 * stores 50,000 columns).
 *
 * <p>Columns live at positions in insertion order, found through an open-addressing hash table;
 * every value of a position sits at {@code position * outputs + output}. A batch never works on
 * this layout directly: {@link SparseBatchView} gathers the batch's columns, in increasing order,
 * into a small dense model, and the one update rule runs on that. Sorted gathering keeps the order
 * of every sum the same as on a dense model of full dimension, so both give the same bits.
 */
public final class SparseParameters {
  private static final int EMPTY = -1;

  private final int outputs;
  private final int dimension;
  private int slotCount;
  private int size;
  private int[] table; // hash slot -> position, EMPTY when free
  private int[] columns; // position -> column
  private double[] weights; // position * outputs + output
  private double[][] slots; // [slot][position * outputs + output]
  private long[] touchedAt; // [position * outputs + output]; null until lazy regularization began
  private long touchedOrigin = -1; // the value every column had when touchedAt was created
  private final double[] intercepts;
  private double[][] interceptSlots; // [slot][output]
  private long columnsElsewhere; // columns a state layout keeps outside this object (see below)

  public SparseParameters(int outputs, int dimension, int slotCount) {
    this.outputs = outputs;
    this.dimension = dimension;
    this.slotCount = slotCount;
    this.intercepts = new double[outputs];
    this.interceptSlots = new double[slotCount][outputs];
    allocate(16);
  }

  private void allocate(int capacity) {
    table = new int[Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) * 2];
    Arrays.fill(table, EMPTY);
    columns = new int[capacity];
    weights = new double[capacity * outputs];
    slots = new double[slotCount][capacity * outputs];
    size = 0;
  }

  public int outputs() {
    return outputs;
  }

  public int dimension() {
    return dimension;
  }

  public int slotCount() {
    return slotCount;
  }

  /** Columns stored (some may hold only zeros until the next checkpoint drops them). */
  public int size() {
    return size;
  }

  /** Values held: weights, slots and touch marks of every stored column, and the intercepts'. */
  public long storedValues() {
    long perColumn = (long) outputs * (1 + slotCount + (touchedAt == null ? 0 : 1));
    return (size + columnsElsewhere) * perColumn + (long) outputs * (1 + slotCount);
  }

  /**
   * Columns kept outside this object: a state layout that stores columns in blocks of their own (so
   * that a write touches only the blocks a batch changed) holds here only the columns it loaded for
   * the batch at hand, and counts the rest here for size reports.
   */
  public long columnsElsewhere() {
    return columnsElsewhere;
  }

  public void setColumnsElsewhere(long columns) {
    columnsElsewhere = columns;
  }

  /** Forgets every stored column (intercepts, slots and the touch origin stay). */
  public void clearColumns() {
    Arrays.fill(table, EMPTY);
    size = 0;
    if (columns.length > 64) {
      int outputsNow = outputs;
      columns = new int[16];
      weights = new double[16 * outputsNow];
      for (int s = 0; s < slotCount; s++) {
        slots[s] = new double[16 * outputsNow];
      }
      if (touchedAt != null) {
        touchedAt = new long[16 * outputsNow];
      }
      table = new int[64];
      Arrays.fill(table, EMPTY);
    } else {
      Arrays.fill(weights, 0.0);
      for (double[] slot : slots) {
        Arrays.fill(slot, 0.0);
      }
    }
  }

  public double[] intercepts() {
    return intercepts;
  }

  public double[][] interceptSlots() {
    return interceptSlots;
  }

  /** Whether lazy regularization has begun: every column then carries a touch mark. */
  public boolean tracksTouches() {
    return touchedAt != null;
  }

  /** The touch mark of columns never stored since lazy regularization began. */
  public long touchedOrigin() {
    return touchedOrigin;
  }

  /** Position of {@code column}, or -1. */
  public int positionOf(int column) {
    int mask = table.length - 1;
    for (int h = mix(column) & mask; ; h = (h + 1) & mask) {
      int p = table[h];
      if (p == EMPTY) {
        return -1;
      }
      if (columns[p] == column) {
        return p;
      }
    }
  }

  /** Position of {@code column}, added with zero values (and the origin's touch mark) if new. */
  public int positionFor(int column) {
    int mask = table.length - 1;
    int h = mix(column) & mask;
    for (; ; h = (h + 1) & mask) {
      int p = table[h];
      if (p == EMPTY) {
        break;
      }
      if (columns[p] == column) {
        return p;
      }
    }
    if (size == columns.length) {
      grow();
      return positionFor(column);
    }
    int p = size++;
    table[h] = p;
    columns[p] = column;
    if (touchedAt != null) {
      Arrays.fill(touchedAt, p * outputs, (p + 1) * outputs, touchedOrigin);
    }
    return p;
  }

  private void grow() {
    int capacity = columns.length * 2;
    columns = Arrays.copyOf(columns, capacity);
    weights = Arrays.copyOf(weights, capacity * outputs);
    for (int s = 0; s < slotCount; s++) {
      slots[s] = Arrays.copyOf(slots[s], capacity * outputs);
    }
    if (touchedAt != null) {
      touchedAt = Arrays.copyOf(touchedAt, capacity * outputs);
    }
    table = new int[table.length * 2];
    Arrays.fill(table, EMPTY);
    int mask = table.length - 1;
    for (int p = 0; p < size; p++) {
      int h = mix(columns[p]) & mask;
      while (table[h] != EMPTY) {
        h = (h + 1) & mask;
      }
      table[h] = p;
    }
  }

  private static int mix(int column) {
    int h = column * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  public int column(int position) {
    return columns[position];
  }

  public double weight(int position, int output) {
    return weights[position * outputs + output];
  }

  public void setWeight(int position, int output, double value) {
    weights[position * outputs + output] = value;
  }

  public double slot(int slot, int position, int output) {
    return slots[slot][position * outputs + output];
  }

  public void setSlot(int slot, int position, int output, double value) {
    slots[slot][position * outputs + output] = value;
  }

  public long touchedAt(int position, int output) {
    return touchedAt[position * outputs + output];
  }

  public void setTouchedAt(int position, int output, long value) {
    touchedAt[position * outputs + output] = value;
  }

  /**
   * Starts lazy regularization's touch marks: every column, stored or not, was last regularized at
   * update {@code origin} (until then every update regularized every weight).
   */
  public void startTrackingTouches(long origin) {
    if (touchedAt != null) {
      return;
    }
    touchedOrigin = origin;
    touchedAt = new long[columns.length * outputs];
    Arrays.fill(touchedAt, origin);
  }

  /** Optimizer slots start afresh (the optimizer changed kind). */
  public void resetSlots(int newSlotCount) {
    slotCount = newSlotCount;
    slots = new double[newSlotCount][columns.length * outputs];
    interceptSlots = new double[newSlotCount][outputs];
  }

  /** Whether the column at {@code position} holds nothing but zeros (it need not be stored). */
  public boolean allZero(int position) {
    int from = position * outputs;
    for (int i = from; i < from + outputs; i++) {
      if (weights[i] != 0.0) {
        return false;
      }
      for (int s = 0; s < slotCount; s++) {
        if (slots[s][i] != 0.0) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Positions of the columns with any non-zero value, in increasing column order: the canonical
   * content, what a checkpoint stores and what equality compares.
   */
  public int[] canonicalPositions() {
    long[] packed = new long[size];
    int n = 0;
    for (int p = 0; p < size; p++) {
      if (!allZero(p)) {
        packed[n++] = ((long) columns[p] << 32) | p;
      }
    }
    Arrays.sort(packed, 0, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) packed[i];
    }
    return out;
  }

  /**
   * The published form: a sparse model of the columns with a non-zero weight, in increasing order
   * (L1 and FTRL zeros are left out), its arrays copies.
   */
  public LinearModel toModel() {
    int[] positions = canonicalPositions();
    int[] cols = new int[positions.length];
    int n = 0;
    for (int p : positions) {
      if (anyWeight(p)) {
        positions[n] = p;
        cols[n++] = columns[p];
      }
    }
    double[] w = new double[outputs * n];
    for (int c = 0; c < n; c++) {
      for (int j = 0; j < outputs; j++) {
        w[j * n + c] = weights[positions[c] * outputs + j];
      }
    }
    return LinearModel.sparse(outputs, dimension, Arrays.copyOf(cols, n), w, intercepts.clone());
  }

  private boolean anyWeight(int position) {
    for (int j = 0; j < outputs; j++) {
      if (weights[position * outputs + j] != 0.0) {
        return true;
      }
    }
    return false;
  }

  /** Stores a model's weights (dense or sparse form), slots zero: a warm start or a migration. */
  public static SparseParameters of(LinearModel model, int slotCount) {
    SparseParameters s = new SparseParameters(model.outputs(), model.dimension(), slotCount);
    int k = model.outputs();
    int[] cols = model.columns();
    int width = cols == null ? model.dimension() : cols.length;
    double[] w = model.weights();
    for (int c = 0; c < width; c++) {
      boolean any = false;
      for (int j = 0; j < k; j++) {
        any |= w[j * width + c] != 0.0;
      }
      if (any) {
        int p = s.positionFor(cols == null ? c : cols[c]);
        for (int j = 0; j < k; j++) {
          s.setWeight(p, j, w[j * width + c]);
        }
      }
    }
    System.arraycopy(model.intercepts(), 0, s.intercepts, 0, k);
    return s;
  }

  /**
   * Dense-stored parameters moved to sparse storage, exactly: every column with a non-zero weight
   * or slot, its touch marks kept (a state restored from before sparse storage existed).
   */
  public static SparseParameters fromDense(LinearModel model, double[][] slots, long[] touchedAt) {
    int k = model.outputs();
    int d = model.dimension();
    SparseParameters s = new SparseParameters(k, d, slots.length);
    if (touchedAt != null) {
      s.startTrackingTouches(0); // columns never stored hold only zeros: any mark regularizes alike
    }
    double[] w = model.weights();
    for (int c = 0; c < d; c++) {
      boolean any = false;
      for (int j = 0; j < k && !any; j++) {
        int i = j * d + c;
        any = w[i] != 0.0;
        for (double[] slot : slots) {
          any |= slot[i] != 0.0;
        }
      }
      if (!any) {
        continue;
      }
      int p = s.positionFor(c);
      for (int j = 0; j < k; j++) {
        int i = j * d + c;
        s.setWeight(p, j, w[i]);
        for (int sl = 0; sl < slots.length; sl++) {
          s.setSlot(sl, p, j, slots[sl][i]);
        }
        if (touchedAt != null) {
          s.setTouchedAt(p, j, touchedAt[i]);
        }
      }
    }
    System.arraycopy(model.intercepts(), 0, s.intercepts, 0, k);
    for (int sl = 0; sl < slots.length; sl++) {
      System.arraycopy(slots[sl], k * d, s.interceptSlots[sl], 0, k);
    }
    return s;
  }

  public SparseParameters copy() {
    SparseParameters c = new SparseParameters(outputs, dimension, slotCount);
    c.table = table.clone();
    c.columns = columns.clone();
    c.weights = weights.clone();
    c.slots = new double[slotCount][];
    for (int s = 0; s < slotCount; s++) {
      c.slots[s] = slots[s].clone();
    }
    c.touchedAt = touchedAt == null ? null : touchedAt.clone();
    c.touchedOrigin = touchedOrigin;
    c.size = size;
    c.columnsElsewhere = columnsElsewhere;
    System.arraycopy(intercepts, 0, c.intercepts, 0, outputs);
    for (int s = 0; s < slotCount; s++) {
      c.interceptSlots[s] = interceptSlots[s].clone();
    }
    return c;
  }

  /** Same shape and the same canonical content (columns holding only zeros count as absent). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SparseParameters)) {
      return false;
    }
    SparseParameters other = (SparseParameters) o;
    if (outputs != other.outputs
        || dimension != other.dimension
        || slotCount != other.slotCount
        || touchedOrigin != other.touchedOrigin
        || columnsElsewhere != other.columnsElsewhere
        || (touchedAt == null) != (other.touchedAt == null)
        || !Arrays.equals(intercepts, other.intercepts)
        || !Arrays.deepEquals(interceptSlots, other.interceptSlots)) {
      return false;
    }
    int[] mine = canonicalPositions();
    int[] theirs = other.canonicalPositions();
    if (mine.length != theirs.length) {
      return false;
    }
    for (int i = 0; i < mine.length; i++) {
      int p = mine[i];
      int q = theirs[i];
      if (columns[p] != other.columns[q]) {
        return false;
      }
      for (int j = 0; j < outputs; j++) {
        if (Double.compare(weight(p, j), other.weight(q, j)) != 0
            || (touchedAt != null && touchedAt(p, j) != other.touchedAt(q, j))) {
          return false;
        }
        for (int s = 0; s < slotCount; s++) {
          if (Double.compare(slot(s, p, j), other.slot(s, q, j)) != 0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(intercepts) * 31 + outputs * 17 + dimension;
  }
}
