package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.testing.TrainerHarness;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cut a run at every point (inside open batches, right after a publication, between a spec change
 * and the batch it applies to, while samples wait for a spec, with timers pending), snapshot,
 * restore into a fresh operator and finish: the output must be exactly that of the uninterrupted
 * run.
 */
class SnapshotAtEveryPointTest {

  interface Step {
    void apply(TrainerHarness.Harness h) throws Exception;
  }

  /**
   * Where the trainer keeps its state: the open batches are cached on the heap and written back
   * before each snapshot; tiny cache bounds make it write back and evict between snapshots too
   * (RocksDB with the default bounds is in {@link DriftInTheTrainerTest}).
   */
  enum Backend {
    HEAP,
    HEAP_TINY_CACHE,
    ROCKSDB_TINY_CACHE;

    TrainerHarness.Harness harness() throws Exception {
      TrainerHarness b = TrainerHarness.builder();
      if (name().startsWith("ROCKSDB")) {
        b.rocksDb();
      }
      if (name().endsWith("TINY_CACHE")) {
        b.writeBack(1, 2);
      }
      return b.build();
    }
  }

  static TrainerHarness.Harness harness() throws Exception {
    return Backend.HEAP.harness();
  }

  static List<Step> script() {
    ModelSpec a = ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("a", 2, 0.1, 4), 4);
    ModelSpec aFaster = ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("a", 2, 0.3, 4), 3);
    ModelSpec b = ModelSpecs.logisticRegression("b", 2, 0.5, 3);
    b.getBatch().setKind(BatchPolicyKind.NORM_TEST);
    b.getBatch().setTheta(5.0);
    b.getBatch().setMinSize(2);
    b.getBatch().setMaxSize(12);
    b.getBatch().setMaxLatencyMs(0);
    ModelSpec c =
        ModelSpecs.of(
            "c",
            io.streamsgd.schema.Task.REGRESSION,
            io.streamsgd.schema.Loss.SQUARED,
            2,
            0.1,
            0.0,
            5,
            100);
    List<Step> steps = new ArrayList<>();
    steps.add(h -> h.processSpec(a, 0));
    steps.add(h -> h.processSpec(b, 0));
    Random rnd = new Random(3);
    long time = 0;
    for (int i = 0; i < 40; i++) {
      String model =
          i % 3 == 0
              ? "a"
              : i % 3 == 1 ? "b" : "c"; // c has no spec until step 20: its samples wait
      double x0 = rnd.nextDouble();
      double x1 = rnd.nextDouble();
      double y =
          model.equals("b")
              ? (x0 > x1 ? 1 : 0)
              : 2 * x0 - x1 + (i == 17 ? Double.NaN : 0); // one bad label
      Sample s =
          new Sample(
              model,
              FeatureVector.dense(new double[] {x0, x1}),
              y,
              1,
              i,
              new Sample.Origin("t", 0, i));
      steps.add(h -> h.processElement(s, 0));
      if (i == 20) {
        steps.add(h -> h.processSpec(c, 0));
      }
      if (i == 25) {
        steps.add(h -> h.processSpec(aFaster, 0)); // applies from a's next batch
      }
      if (i % 7 == 6) {
        long t = time += 60;
        steps.add(h -> h.setProcessingTime(t)); // polls for c's spec; c's latency bound
      }
    }
    long end = time + 1000;
    steps.add(h -> h.setProcessingTime(end));
    return steps;
  }

  static List<String> outputs(TrainerHarness.Harness h) {
    List<String> out = new ArrayList<>();
    for (ModelUpdate u : h.extractOutputValues()) {
      out.add(
          u.getModelId()
              + " v"
              + u.getVersion()
              + " n"
              + u.getBatchSize()
              + " "
              + u.getCloseReason()
              + " "
              + u.getSpecFingerprint()
              + " "
              + u.getParameters()
              + " "
              + u.getMetrics().getLossSum()
              + " seen"
              + u.getSamplesSeen());
    }
    var letters = h.getSideOutput(DeadLetters.TAG); // null until the first dead letter
    if (letters != null) {
      letters.forEach(
          r -> out.add("dead " + r.getValue().getReason() + " " + r.getValue().getOffset()));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void restoringAtAnyPointGivesTheUninterruptedOutput(Backend backend) throws Exception {
    List<Step> steps = script();
    List<String> reference;
    try (var h = Backend.HEAP.harness()) {
      h.open();
      for (Step s : steps) {
        s.apply(h);
      }
      reference = outputs(h);
    }
    assertThat(reference).anySatisfy(o -> assertThat(o).startsWith("c v1"));
    assertThat(reference).anySatisfy(o -> assertThat(o).contains("LATENCY"));
    assertThat(reference).anySatisfy(o -> assertThat(o).contains("TEST_PASSED"));
    assertThat(reference).anySatisfy(o -> assertThat(o).startsWith("dead NON_FINITE_LABEL"));

    for (int cut = 0; cut <= steps.size(); cut++) {
      List<String> combined = new ArrayList<>();
      OperatorSubtaskState snapshot;
      long clock;
      try (var h = backend.harness()) {
        h.open();
        for (Step s : steps.subList(0, cut)) {
          s.apply(h);
        }
        combined.addAll(outputs(h));
        snapshot = h.snapshot(cut, cut);
        clock = h.getProcessingTime();
      }
      try (var h = backend.harness()) {
        h.initializeState(snapshot);
        h.open();
        h.setProcessingTime(clock);
        for (Step s : steps.subList(cut, steps.size())) {
          s.apply(h);
        }
        combined.addAll(outputs(h));
      }
      assertThat(sortDeadLetters(combined))
          .as("cut after step %d", cut)
          .isEqualTo(sortDeadLetters(reference));
    }
  }

  /** Dead letters come on a side output: compare them as a set, updates in order. */
  private static List<String> sortDeadLetters(List<String> out) {
    List<String> updates =
        new ArrayList<>(out.stream().filter(o -> !o.startsWith("dead")).toList());
    out.stream().filter(o -> o.startsWith("dead")).sorted().forEach(updates::add);
    return updates;
  }
}
