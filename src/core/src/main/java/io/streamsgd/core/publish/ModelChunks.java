package io.streamsgd.core.publish;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.ModelChunk;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Cuts a version into records of at most a byte limit, and puts chunks back together. A version
 * that fits is one record, as it is. One that does not is made sparse (zero weights left out); if
 * that fits, it is one record, else it is cut into chunks that each repeat the version's metadata
 * and intercepts and hold a consecutive range of its columns. The cut is a pure function of the
 * update and the limit, so a replayed version is published with the same bytes.
 */
public final class ModelChunks {
  /**
   * Room left in the fixed part of a chunk for the varint lengths of its two non-empty arrays (the
   * fixed part is measured with them empty).
   */
  private static final int ARRAY_LENGTHS = 10;

  private ModelChunks() {}

  /**
   * The records of {@code update} (a whole version), each at most {@code maxRecordBytes}, in chunk
   * order.
   *
   * @throws IllegalArgumentException when not even one column fits beside the fixed part (specs
   *     that could come to this are refused by {@code UpdateSize})
   */
  public static List<ModelRecord> split(ModelUpdate update, int maxRecordBytes) {
    if (update.getChunk() != null) {
      throw new IllegalArgumentException("already a chunk: " + update.getChunk());
    }
    // Weights alone above the limit: skip encoding what cannot fit.
    if (8L * update.getParameters().getWeights().size() < maxRecordBytes) {
      byte[] whole = Codecs.MODEL_UPDATE.encode(update);
      if (whole.length <= maxRecordBytes) {
        return List.of(record(update, 0, whole));
      }
    }
    LinearParameters sparse = sparse(update.getParameters());
    if (8L * sparse.getWeights().size() < maxRecordBytes) {
      byte[] whole = Codecs.MODEL_UPDATE.encode(withParameters(update, sparse, null));
      if (whole.length <= maxRecordBytes) {
        return List.of(record(update, 0, whole));
      }
    }
    return chunks(update, sparse, maxRecordBytes);
  }

  private static List<ModelRecord> chunks(
      ModelUpdate update, LinearParameters sparse, int maxRecordBytes) {
    int outputs = sparse.getOutputs();
    int[] columns = ints(sparse.getColumns());
    double[] weights = DoubleArrayView.toArray(sparse.getWeights());
    long budget = maxRecordBytes - fixedBytes(update, sparse);
    if (budget < 5 + 8L * outputs) {
      throw new IllegalArgumentException(
          String.format(
              "version %d of model %s cannot be chunked into records of %,d bytes: each chunk"
                  + " repeats %,d bytes of spec, metadata and intercepts and needs %,d for a"
                  + " column; raise the limit",
              update.getVersion(),
              update.getModelId(),
              maxRecordBytes,
              maxRecordBytes - budget,
              5 + 8L * outputs));
    }
    // Greedy: each chunk takes columns while their bytes (index varint, one weight per output)
    // fit its budget. Starts of each range, then the end.
    List<Integer> starts = new ArrayList<>();
    long used = budget;
    for (int c = 0; c < columns.length; c++) {
      long bytes = varintBytes(columns[c]) + 8L * outputs;
      if (used + bytes > budget) {
        starts.add(c);
        used = 0;
      }
      used += bytes;
    }
    int count = starts.size();
    if (count < 2) {
      throw new IllegalStateException(
          "a sparse version that did not fit one record fits one chunk");
    }
    starts.add(columns.length);
    List<ModelRecord> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = starts.get(i);
      int to = starts.get(i + 1);
      double[] w = new double[outputs * (to - from)];
      for (int j = 0; j < outputs; j++) {
        System.arraycopy(weights, j * columns.length + from, w, j * (to - from), to - from);
      }
      LinearParameters part =
          new LinearParameters(
              outputs,
              sparse.getDimension(),
              new DoubleArrayView(w),
              sparse.getIntercepts(),
              new IntList(java.util.Arrays.copyOfRange(columns, from, to)));
      byte[] bytes =
          Codecs.MODEL_UPDATE.encode(withParameters(update, part, new ModelChunk(i, count)));
      if (bytes.length > maxRecordBytes) {
        throw new IllegalStateException(
            "chunk " + i + " is " + bytes.length + " bytes, above " + maxRecordBytes);
      }
      out.add(record(update, i, bytes));
    }
    return out;
  }

  /**
   * Bytes of a chunk apart from its columns and their weights, with room for the largest chunk
   * index and count.
   */
  private static long fixedBytes(ModelUpdate update, LinearParameters sparse) {
    LinearParameters empty =
        new LinearParameters(
            sparse.getOutputs(),
            sparse.getDimension(),
            List.of(),
            sparse.getIntercepts(),
            List.of());
    ModelChunk widest = new ModelChunk(Integer.MAX_VALUE, Integer.MAX_VALUE);
    return Codecs.MODEL_UPDATE.encode(withParameters(update, empty, widest)).length + ARRAY_LENGTHS;
  }

  /**
   * Puts a complete set of chunks (in index order, one per index) back into the whole version:
   * their columns and weights concatenated, the metadata of chunk 0, chunk null.
   *
   * @throws IllegalArgumentException when the chunks do not make one sparse model
   */
  public static ModelUpdate merge(List<ModelUpdate> chunks) {
    ModelUpdate first = chunks.get(0);
    LinearParameters p0 = first.getParameters();
    int outputs = p0.getOutputs();
    int total = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ModelUpdate c = chunks.get(i);
      LinearParameters p = c.getParameters();
      if (c.getChunk() == null
          || c.getChunk().getIndex() != i
          || c.getChunk().getCount() != chunks.size()
          || c.getVersion() != first.getVersion()
          || p.getColumns() == null
          || p.getOutputs() != outputs
          || p.getDimension() != p0.getDimension()
          || p.getWeights().size() != (long) outputs * p.getColumns().size()) {
        throw new IllegalArgumentException(
            "chunk "
                + i
                + " of version "
                + first.getVersion()
                + " of "
                + first.getModelId()
                + " does not belong with the others");
      }
      total += p.getColumns().size();
    }
    int[] columns = new int[total];
    double[] weights = new double[outputs * total];
    int at = 0;
    for (ModelUpdate c : chunks) {
      List<Integer> cols = c.getParameters().getColumns();
      List<Double> w = c.getParameters().getWeights();
      int n = cols.size();
      for (int k = 0; k < n; k++) {
        int col = cols.get(k);
        if ((at + k > 0 && col <= columns[at + k - 1]) || col < 0 || col >= p0.getDimension()) {
          throw new IllegalArgumentException(
              "columns of version "
                  + first.getVersion()
                  + " of "
                  + first.getModelId()
                  + " are not strictly increasing within its dimension");
        }
        columns[at + k] = col;
        for (int j = 0; j < outputs; j++) {
          weights[j * total + at + k] = w.get(j * n + k);
        }
      }
      at += n;
    }
    LinearParameters whole =
        new LinearParameters(
            outputs,
            p0.getDimension(),
            new DoubleArrayView(weights),
            p0.getIntercepts(),
            new IntList(columns));
    return withParameters(first, whole, null);
  }

  /**
   * The sparse form of {@code p}: the columns where some output's weight is not +0.0 (a -0.0 is
   * kept, so the dense model comes back bit for bit). Sparse parameters are returned as they are.
   */
  static LinearParameters sparse(LinearParameters p) {
    if (p.getColumns() != null) {
      return p;
    }
    int outputs = p.getOutputs();
    int dimension = p.getDimension();
    double[] dense = DoubleArrayView.toArray(p.getWeights());
    int[] columns = new int[dimension];
    int n = 0;
    for (int i = 0; i < dimension; i++) {
      for (int j = 0; j < outputs; j++) {
        if (Double.doubleToRawLongBits(dense[j * dimension + i]) != 0) {
          columns[n++] = i;
          break;
        }
      }
    }
    double[] weights = new double[outputs * n];
    for (int j = 0; j < outputs; j++) {
      for (int k = 0; k < n; k++) {
        weights[j * n + k] = dense[j * dimension + columns[k]];
      }
    }
    return new LinearParameters(
        outputs,
        dimension,
        new DoubleArrayView(weights),
        p.getIntercepts(),
        new IntList(java.util.Arrays.copyOf(columns, n)));
  }

  /**
   * A shallow copy of {@code update} with other parameters and chunk (Avro's builder would
   * deep-copy the whole parameter arrays once per chunk).
   */
  private static ModelUpdate withParameters(
      ModelUpdate update, LinearParameters parameters, ModelChunk chunk) {
    ModelUpdate copy = new ModelUpdate();
    for (int i = 0; i < ModelUpdate.SCHEMA$.getFields().size(); i++) {
      copy.put(i, update.get(i));
    }
    copy.setParameters(parameters);
    copy.setChunk(chunk);
    return copy;
  }

  private static ModelRecord record(ModelUpdate update, int index, byte[] value) {
    return new ModelRecord(
        update.getModelId(),
        ChunkKeys.key(update.getModelId(), index),
        value,
        update.getPublishedAt().toEpochMilli());
  }

  /** Bytes of Avro's zig-zag varint of a non-negative int. */
  private static int varintBytes(int value) {
    long zigzag = (long) value << 1;
    int bytes = 1;
    while ((zigzag >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }

  private static int[] ints(List<Integer> list) {
    if (list instanceof IntList l) {
      return l.values;
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /** A fixed-size list view of an int[], for Avro's int arrays without boxing them all first. */
  private static final class IntList extends AbstractList<Integer> implements RandomAccess {
    private final int[] values;

    IntList(int[] values) {
      this.values = values;
    }

    @Override
    public Integer get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }
}
