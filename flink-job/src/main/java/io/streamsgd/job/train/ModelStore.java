package io.streamsgd.job.train;

import io.streamsgd.core.model.LinearModel;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SparseParameters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * Where a model's {@link LearnerState} lives in keyed state, in one of two layouts.
 *
 * <p>The value layout (heap backends) keeps everything in one value: on the heap a read or write is
 * a reference, and a checkpoint writes each model once, its sparse columns only.
 *
 * <p>The block layout (RocksDB) keeps a sparse model's columns in {@link ParameterBlock}s of map
 * state, the rest in the value. RocksDB serializes a value whole on every write, so a model of a
 * million touched columns written per sample would rewrite megabytes per sample, and every
 * incremental checkpoint would upload them. Blocks make a batch read and write only the blocks of
 * the columns it touches ({@link #loadFor}, {@link #write}), and an incremental checkpoint upload
 * only those. Publication reads all blocks ({@link #published}) without writing them.
 *
 * <p>Dense models are one value in both layouts. Each call handles one model (the current key);
 * what it loaded is remembered until the next {@link #value()}.
 */
final class ModelStore {
  private final ValueState<LearnerState> model;
  private final MapState<Integer, ParameterBlock> blocks;
  private final boolean blockLayout;
  private final Map<Integer, Integer> loaded = new HashMap<>(); // block -> its columns when read

  ModelStore(
      ValueState<LearnerState> model,
      MapState<Integer, ParameterBlock> blocks,
      boolean blockLayout) {
    this.model = model;
    this.blocks = blocks;
    this.blockLayout = blockLayout;
  }

  /**
   * The current model's state without the columns the block layout keeps apart (load them with
   * {@link #loadFor} or {@link #loadAll}); null before its first batch.
   */
  LearnerState value() throws Exception {
    loaded.clear();
    LearnerState v = model.value();
    if (!blockLayout && v != null && v.isSparse() && !blocks.isEmpty()) {
      // Restored from the block layout (a savepoint taken on RocksDB): back into the value.
      loadAll(v);
      blocks.clear();
      v.sparseParameters().setColumnsElsewhere(0);
      loaded.clear();
    }
    return v;
  }

  /** Loads the blocks of the columns {@code samples} touch (block layout, sparse models). */
  void loadFor(LearnerState v, List<Sample> samples) throws Exception {
    if (!blockLayout || !v.isSparse()) {
      return;
    }
    for (Sample s : samples) {
      if (s.features().isDense()) {
        loadAll(v);
        return;
      }
    }
    for (Sample s : samples) {
      int[] idx = s.features().indices();
      for (int column : idx) {
        int block = ParameterBlock.blockOf(column);
        if (!loaded.containsKey(block)) {
          ParameterBlock b = blocks.get(block);
          loaded.put(block, b == null ? 0 : b.columns.length);
          if (b != null) {
            put(v.sparseParameters(), b);
          }
        }
      }
    }
  }

  /** Loads every block not loaded yet (block layout, sparse models). */
  void loadAll(LearnerState v) throws Exception {
    if (!v.isSparse()) {
      return;
    }
    for (Map.Entry<Integer, ParameterBlock> e : blocks.entries()) {
      if (!loaded.containsKey(e.getKey())) {
        loaded.put(e.getKey(), e.getValue().columns.length);
        put(v.sparseParameters(), e.getValue());
      }
    }
  }

  private static void put(SparseParameters store, ParameterBlock b) {
    int k = store.outputs();
    int slots = store.slotCount();
    int stride = k * (1 + slots);
    for (int c = 0; c < b.columns.length; c++) {
      int p = store.positionFor(b.columns[c]);
      int base = c * stride;
      for (int j = 0; j < k; j++) {
        store.setWeight(p, j, b.values[base + j]);
        for (int s = 0; s < slots; s++) {
          store.setSlot(s, p, j, b.values[base + k * (1 + s) + j]);
        }
        if (b.touchedAt != null && store.tracksTouches()) {
          store.setTouchedAt(p, j, b.touchedAt[c * k + j]);
        }
      }
    }
  }

  /**
   * The whole model as published: the loaded columns as they stand now and every other block as
   * stored. Blocks are only read.
   */
  LinearModel published(LearnerState v) throws Exception {
    if (!blockLayout || !v.isSparse()) {
      return v.model();
    }
    // A copy of the loaded columns, completed with every other block: the value stays as it is.
    SparseParameters whole = v.sparseParameters().copy();
    for (Map.Entry<Integer, ParameterBlock> e : blocks.entries()) {
      if (!loaded.containsKey(e.getKey())) {
        put(whole, e.getValue());
      }
    }
    return whole.toModel();
  }

  /**
   * Writes the model. In the block layout, a sparse model's loaded columns go back to their blocks
   * (a block left without columns is removed) and leave the value.
   */
  void write(LearnerState v) throws Exception {
    if (blockLayout && v.isSparse()) {
      writeBlocks(v.sparseParameters());
    } else if (blockLayout && !loaded.isEmpty()) {
      // A sparse model that became dense (a spec of another shape): its blocks go.
      blocks.clear();
    }
    loaded.clear();
    model.update(v);
  }

  private void writeBlocks(SparseParameters store) throws Exception {
    int k = store.outputs();
    int slots = store.slotCount();
    int stride = k * (1 + slots);
    boolean touches = store.tracksTouches();
    int[] positions = store.canonicalPositions(); // increasing columns, none of only zeros
    long elsewhere = store.columnsElsewhere();
    for (int count : loaded.values()) {
      elsewhere -= count;
    }
    Map<Integer, Integer> written = new HashMap<>();
    int from = 0;
    while (from < positions.length) {
      int block = ParameterBlock.blockOf(store.column(positions[from]));
      int to = from;
      while (to < positions.length
          && ParameterBlock.blockOf(store.column(positions[to])) == block) {
        to++;
      }
      int size = to - from;
      int[] columns = new int[size];
      double[] values = new double[size * stride];
      long[] touchedAt = touches ? new long[size * k] : null;
      for (int c = 0; c < size; c++) {
        int p = positions[from + c];
        columns[c] = store.column(p);
        for (int j = 0; j < k; j++) {
          values[c * stride + j] = store.weight(p, j);
          for (int s = 0; s < slots; s++) {
            values[c * stride + k * (1 + s) + j] = store.slot(s, p, j);
          }
          if (touches) {
            touchedAt[c * k + j] = store.touchedAt(p, j);
          }
        }
      }
      blocks.put(block, new ParameterBlock(columns, values, touchedAt));
      written.put(block, size);
      elsewhere += size;
      from = to;
    }
    for (int block : loaded.keySet()) {
      if (!written.containsKey(block) && loaded.get(block) > 0) {
        blocks.remove(block);
      }
    }
    store.clearColumns();
    store.setColumnsElsewhere(elsewhere);
  }

  /**
   * The model's parameters were all replaced (a new lineage from a drift's reaction): the blocks
   * stored for the old ones go, and the value's columns are the whole model.
   */
  void forgetStoredParameters() throws Exception {
    if (blockLayout) {
      blocks.clear();
      loaded.clear();
    }
  }

  /** After a read-only use (an adaptive test): the loaded columns leave the value unwritten. */
  void release(LearnerState v) {
    if (blockLayout && v != null && v.isSparse()) {
      v.sparseParameters().clearColumns();
    }
    loaded.clear();
  }
}
