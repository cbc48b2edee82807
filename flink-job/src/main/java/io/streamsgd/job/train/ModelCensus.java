package io.streamsgd.job.train;

import io.streamsgd.core.train.LearnerState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * How many models a trainer subtask holds and roughly how many bytes their state takes, kept per
 * key group.
 *
 * <p>Why per key group: a function cannot list the keys of its keyed state, so the count is kept as
 * models are created and checkpointed with them. Key groups are the unit Flink moves on rescaling,
 * so after any restore each subtask takes exactly the entries of the key groups it now owns (the
 * entries travel as union operator state, which every subtask receives whole), and the counts stay
 * consistent with the keyed state of the same checkpoint. A restore from a savepoint without these
 * entries (written before they existed, or by warm start) counts only the models created since.
 */
final class ModelCensus {
  /** One entry per non-empty key group: (key group, models, state bytes). */
  static final ListStateDescriptor<Tuple3<Integer, Long, Long>> DESCRIPTOR =
      new ListStateDescriptor<>("model-census", Types.TUPLE(Types.INT, Types.LONG, Types.LONG));

  private final KeyGroupRange range;
  private final int maxParallelism;
  private final long[] models;
  private final long[] bytes;
  // totals, read by the metric reporter's thread
  private volatile long totalModels;
  private volatile long totalBytes;

  ModelCensus(int maxParallelism, int parallelism, int subtask) {
    this.maxParallelism = maxParallelism;
    this.range =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism, parallelism, subtask);
    this.models = new long[range.getNumberOfKeyGroups()];
    this.bytes = new long[range.getNumberOfKeyGroups()];
  }

  /** Takes the restored entries of this subtask's key groups. */
  void restore(Iterable<Tuple3<Integer, Long, Long>> entries) {
    for (Tuple3<Integer, Long, Long> e : entries) {
      if (range.contains(e.f0)) {
        models[e.f0 - range.getStartKeyGroup()] += e.f1;
        bytes[e.f0 - range.getStartKeyGroup()] += e.f2;
        totalModels += e.f1;
        totalBytes += e.f2;
      }
    }
  }

  List<Tuple3<Integer, Long, Long>> snapshot() {
    List<Tuple3<Integer, Long, Long>> entries = new ArrayList<>();
    for (int i = 0; i < models.length; i++) {
      if (models[i] != 0 || bytes[i] != 0) {
        entries.add(Tuple3.of(range.getStartKeyGroup() + i, models[i], bytes[i]));
      }
    }
    return entries;
  }

  /** A model's state was written: {@code bytesBefore} is 0 for a model created now. */
  void written(String modelId, long bytesBefore, long bytesAfter) {
    int i =
        KeyGroupRangeAssignment.assignToKeyGroup(modelId, maxParallelism)
            - range.getStartKeyGroup();
    if (bytesBefore == 0) {
      models[i]++;
      totalModels++;
    }
    bytes[i] += bytesAfter - bytesBefore;
    totalBytes += bytesAfter - bytesBefore;
  }

  long models() {
    return totalModels;
  }

  long bytes() {
    return totalBytes;
  }

  /**
   * An estimate of a model's state in bytes: its stored parameters (every weight when dense, the
   * touched columns when sparse), optimizer slots and lazy regularization clocks at 8 bytes each.
   * The spec, the open batch and object overheads are left out. 0 for no state.
   */
  static long estimateBytes(LearnerState state) {
    if (state == null) {
      return 0;
    }
    return 8 * Math.max(1, state.storedValues());
  }
}
