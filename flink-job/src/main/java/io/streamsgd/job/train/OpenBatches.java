package io.streamsgd.job.train;

import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The open batches of one trainer subtask: each model's bookkeeping ({@link OpenBatch}, with the
 * batch's running sums) or samples, and the model a batch of sums is scored with, kept on the heap
 * between checkpoints and written back to keyed state before each one ({@link #writeBack}, called
 * by {@link TrainerOperator} ahead of the barrier), as Flink's own mini-batch aggregations do. On
 * RocksDB every keyed-state access is a lookup or a write that (de)serializes; keeping the open
 * batches here, a sample costs no state access at all, a model's bookkeeping is read once while it
 * stays cached and written at most once per checkpoint, and a batch that opens and closes between
 * two checkpoints never touches state.
 *
 * <p>What a checkpoint holds is exactly what writing through would have held, so snapshots,
 * restores and replays are unchanged. Memory is bounded: past {@code maxPendingSamples} samples not
 * yet in state, or {@code maxEntries} cached models, everything is written back early; models kept
 * to score batches of running sums take at most an eighth of the heap on RocksDB (past it, new
 * batches keep their samples instead), and are the state's own objects on the heap backend.
 *
 * <p>On the heap backend, state hands out its own objects and copies them only when a snapshot
 * runs; a cached object written back and then changed would change the snapshot. So there the cache
 * is emptied at each write-back ({@code keepAfterWriteBack} false), and a model's next access reads
 * it again, getting a copy if a snapshot still holds the old one.
 */
final class OpenBatches {
  private final ValueState<OpenBatch> meta;
  private final ListState<Sample> samples;
  private final KeyContext keys;
  private final boolean keepAfterWriteBack;
  private final int maxPendingSamples;
  private final int maxEntries;
  private final Map<Object, Entry> entries = new HashMap<>();
  private final List<Object> changed = new ArrayList<>(); // keys of entries with changes to write
  private int pendingSamples;
  private final long maxKeptBytes;
  private long keptBytes;
  // A sample reads, adds to and updates its model's entry: the last one found is kept at hand.
  private Object lastKey;
  private Entry lastEntry;

  /** One model's open batch as the cache holds it. */
  private static final class Entry {
    OpenBatch meta; // null: no batch (state cleared or never written)
    boolean dirty; // meta differs from state
    boolean listed; // in the list of changed entries
    int stored; // samples of the batch already in list state
    List<Sample> pending = List.of(); // samples not yet in list state
    LearnerState model; // the model as read for its open batch (see model()), or null
    Object modelSpec; // the spec object the kept model was last found to train under, or null
    long modelBytes; // what the kept model and its sums count against the budget

    void addPending(Sample s) {
      if (pending.isEmpty()) {
        pending = new ArrayList<>();
      }
      pending.add(s);
    }

    void clearPending() {
      pending = List.of();
    }
  }

  OpenBatches(
      ValueState<OpenBatch> meta,
      ListState<Sample> samples,
      KeyContext keys,
      boolean keepAfterWriteBack,
      TrainerOptions.WriteBack bounds) {
    this.meta = meta;
    this.samples = samples;
    this.keys = keys;
    this.keepAfterWriteBack = keepAfterWriteBack;
    this.maxPendingSamples = bounds.samples();
    this.maxEntries = bounds.models();
    this.maxKeptBytes =
        bounds.modelBytes() > 0 ? bounds.modelBytes() : Runtime.getRuntime().maxMemory() / 8;
  }

  /** The current model's open batch, or null. */
  OpenBatch value() throws Exception {
    return entry().meta;
  }

  /** Sets the current model's bookkeeping (state gets it at the next write-back). */
  void update(OpenBatch batch) throws Exception {
    Object key = keys.getCurrentKey();
    Entry e = entry(key);
    e.meta = batch;
    e.dirty = true;
    changed(key, e);
  }

  /** Removes the current model's bookkeeping. */
  void clear() throws Exception {
    update(null);
  }

  /**
   * The current model's state as kept for its open batch, or null when not kept: a batch of running
   * sums scores every sample with the model, which does not change until the batch closes, so it is
   * read once per batch, not per sample. It goes with the rest of the entry (on the heap backend at
   * every write-back, where the next read costs nothing).
   */
  LearnerState model() throws Exception {
    return entry().model;
  }

  /** Keeps {@code model} as the current model's state (see {@link #model()}); null forgets it. */
  void keepModel(LearnerState model) throws Exception {
    keepModel(model, true);
  }

  /**
   * As {@link #keepModel(LearnerState)}; unless {@code always}, only within the budget of bytes
   * kept models may take (on RocksDB, where a kept model is a copy: an eighth of the heap, for the
   * models and the running sums they score). Returns whether it is kept.
   */
  boolean keepModel(LearnerState model, boolean always) throws Exception {
    Entry e = entry();
    keptBytes -= e.modelBytes;
    e.model = null;
    e.modelBytes = 0;
    e.modelSpec = null;
    if (model == null) {
      return true;
    }
    long bytes = keepAfterWriteBack ? 2 * 8 * model.storedValues() : 0; // the model and its sums
    if (!always && keptBytes + bytes > maxKeptBytes) {
      return false;
    }
    e.model = model;
    e.modelBytes = bytes;
    keptBytes += bytes;
    return true;
  }

  /**
   * Whether the kept model was found to train under this very spec object: every sample asks, and
   * comparing fingerprints costs an encoding of the spec (see {@link #modelTrainsUnder(Object)}).
   */
  boolean modelKnownToTrainUnder(Object spec) throws Exception {
    return spec != null && entry().modelSpec == spec;
  }

  /** Remembers that the kept model trains under {@code spec} (until the model is kept anew). */
  void modelTrainsUnder(Object spec) throws Exception {
    entry().modelSpec = spec;
  }

  /** Appends a sample to the current model's open batch. */
  void add(Sample sample) throws Exception {
    Object key = keys.getCurrentKey();
    Entry e = entry(key);
    e.addPending(sample);
    changed(key, e);
    if (++pendingSamples > maxPendingSamples) {
      writeBack(false);
    }
  }

  /** The current model's open samples, in arrival order. */
  List<Sample> samples() throws Exception {
    Entry e = entry();
    List<Sample> out = new ArrayList<>(e.stored + e.pending.size());
    if (e.stored > 0) {
      for (Sample s : samples.get()) {
        out.add(s);
      }
    }
    out.addAll(e.pending);
    return out;
  }

  /** Empties the current model's open samples. */
  void clearSamples() throws Exception {
    Entry e = entry();
    if (e.stored > 0) {
      samples.clear();
      e.stored = 0;
    }
    pendingSamples -= e.pending.size();
    e.clearPending();
  }

  /**
   * Writes every change since the last write-back to keyed state, model by model, and leaves the
   * operator's current key as it found it.
   */
  void writeBack() throws Exception {
    writeBack(!keepAfterWriteBack);
  }

  private void writeBack(boolean evict) throws Exception {
    Object current = keys.getCurrentKey();
    for (Object key : changed) {
      Entry e = entries.get(key);
      e.listed = false;
      if (!e.dirty && e.pending.isEmpty()) {
        continue;
      }
      keys.setCurrentKey(key);
      if (!e.pending.isEmpty()) {
        samples.addAll(e.pending);
        e.stored += e.pending.size();
        e.clearPending();
      }
      if (e.dirty) {
        if (e.meta == null) {
          meta.clear();
        } else {
          meta.update(e.meta);
        }
        e.dirty = false;
      }
    }
    changed.clear();
    pendingSamples = 0;
    if (evict) {
      entries.clear();
      keptBytes = 0;
      lastKey = null;
      lastEntry = null;
    }
    if (current != null) {
      keys.setCurrentKey(current);
    }
  }

  private Entry entry() throws Exception {
    return entry(keys.getCurrentKey());
  }

  private void changed(Object key, Entry e) {
    if (!e.listed) {
      e.listed = true;
      changed.add(key);
    }
  }

  private Entry entry(Object key) throws Exception {
    if (key != null && key == lastKey) {
      return lastEntry;
    }
    Entry e = entries.get(key);
    if (e == null) {
      if (entries.size() >= maxEntries) {
        writeBack(true);
      }
      e = new Entry();
      e.meta = meta.value();
      e.stored = e.meta == null || e.meta.sums != null ? 0 : e.meta.count;
      entries.put(key, e);
    }
    lastKey = key;
    lastEntry = e;
    return e;
  }
}
