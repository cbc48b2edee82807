package io.streamsgd.core.train;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.LinearModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sparse-stored model as a small dense one over the columns a batch touches: the batch's columns
 * in increasing order, their weights, slots and touch marks gathered from {@link SparseParameters},
 * and the batch's samples re-indexed onto them. The update rule runs on the view unchanged; {@link
 * #writeBack} scatters what it changed. Because the view's columns keep the order of the full ones,
 * every sum the rule forms adds the same terms in the same order as on a dense model, and the two
 * storages give the same bits.
 */
final class SparseBatchView {
  private final LearnerState owner;
  private final SparseParameters store;
  private final int[] columns; // the batch's columns, increasing
  private final LearnerState view;
  private final List<Sample> batch;

  private SparseBatchView(LearnerState owner, List<Sample> samples) {
    this.owner = owner;
    this.store = owner.sparseParameters();
    this.columns = columnsOf(samples, store.dimension());
    int k = store.outputs();
    int u = columns.length;
    int width = Math.max(u, 1); // a model has a column at least: a batch without features gets one
    int slotCount = store.slotCount();
    double[] weights = new double[k * width];
    double[][] slots = new double[slotCount][k * width + k];
    long[] touchedAt = store.tracksTouches() ? new long[k * width] : null;
    for (int c = 0; c < u; c++) {
      int p = store.positionOf(columns[c]);
      for (int j = 0; j < k; j++) {
        int i = j * width + c;
        if (p >= 0) {
          weights[i] = store.weight(p, j);
          for (int s = 0; s < slotCount; s++) {
            slots[s][i] = store.slot(s, p, j);
          }
        }
        if (touchedAt != null) {
          touchedAt[i] = p >= 0 ? store.touchedAt(p, j) : store.touchedOrigin();
        }
      }
    }
    for (int s = 0; s < slotCount; s++) {
      System.arraycopy(store.interceptSlots()[s], 0, slots[s], k * width, k);
    }
    LinearModel model = new LinearModel(k, width, weights, store.intercepts());
    this.view = owner.denseView(model, slots, touchedAt);
    this.batch = u == store.dimension() ? samples : reindex(samples, columns);
  }

  /** The view of {@code state} (sparse-stored) for {@code batch}. */
  static SparseBatchView of(LearnerState state, List<Sample> batch) {
    return new SparseBatchView(state, batch);
  }

  /** The dense state the update rule works on. */
  LearnerState state() {
    return view;
  }

  /** The batch, its feature indices those of the view's columns. */
  List<Sample> batch() {
    return batch;
  }

  /**
   * Scatters the view's parameters, slots and touch marks into the store and hands the owner the
   * view's counters. Columns new to the store that ended all zero are not stored.
   */
  void writeBack(long versionBefore) {
    int k = store.outputs();
    int u = columns.length;
    int width = Math.max(u, 1);
    LinearModel model = view.model();
    double[] w = model.weights();
    double[][] slots = view.slots();
    long[] touchedAt = view.touchedAt();
    if (touchedAt != null) {
      // The rule began lazy regularization on this batch: as on a dense model, every column counts
      // as regularized up to the update before it.
      store.startTrackingTouches(versionBefore);
    }
    for (int c = 0; c < u; c++) {
      int p = store.positionOf(columns[c]);
      if (p < 0 && allZero(w, slots, k, width, c)) {
        continue;
      }
      if (p < 0) {
        p = store.positionFor(columns[c]);
      }
      for (int j = 0; j < k; j++) {
        int i = j * width + c;
        store.setWeight(p, j, w[i]);
        for (int s = 0; s < slots.length; s++) {
          store.setSlot(s, p, j, slots[s][i]);
        }
        if (touchedAt != null) {
          store.setTouchedAt(p, j, touchedAt[i]);
        }
      }
    }
    for (int s = 0; s < slots.length; s++) {
      System.arraycopy(slots[s], k * width, store.interceptSlots()[s], 0, k);
    }
    owner.takeCounters(view);
  }

  private static boolean allZero(double[] w, double[][] slots, int k, int width, int c) {
    for (int j = 0; j < k; j++) {
      int i = j * width + c;
      if (w[i] != 0.0) {
        return false;
      }
      for (double[] slot : slots) {
        if (slot[i] != 0.0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The distinct feature indices of {@code batch}, increasing. */
  private static int[] columnsOf(List<Sample> batch, int dimension) {
    int total = 0;
    for (Sample s : batch) {
      if (s.features().isDense()) {
        int[] all = new int[dimension];
        for (int i = 0; i < dimension; i++) {
          all[i] = i;
        }
        return all;
      }
      total += s.features().size();
    }
    int[] all = new int[total];
    int n = 0;
    for (Sample s : batch) {
      int[] idx = s.features().indices();
      System.arraycopy(idx, 0, all, n, idx.length);
      n += idx.length;
    }
    Arrays.sort(all);
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m == 0 || all[i] != all[m - 1]) {
        all[m++] = all[i];
      }
    }
    return Arrays.copyOf(all, m);
  }

  private static List<Sample> reindex(List<Sample> batch, int[] columns) {
    List<Sample> out = new ArrayList<>(batch.size());
    for (Sample s : batch) {
      FeatureVector f = s.features();
      int[] local = new int[f.size()];
      for (int e = 0; e < local.length; e++) {
        local[e] = Arrays.binarySearch(columns, f.indexAt(e));
      }
      out.add(s.withFeatures(FeatureVector.sparse(local, f.values())));
    }
    return out;
  }
}
