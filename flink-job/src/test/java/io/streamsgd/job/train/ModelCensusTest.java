package io.streamsgd.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class ModelCensusTest {
  static final int MAX_PARALLELISM = 128;

  /** Models created on 2 subtasks, restored on 3: each model is counted once, by its new owner. */
  @Test
  void countsFollowTheirKeyGroupsThroughARescale() {
    List<ModelCensus> before =
        List.of(new ModelCensus(MAX_PARALLELISM, 2, 0), new ModelCensus(MAX_PARALLELISM, 2, 1));
    int models = 1000;
    for (int m = 0; m < models; m++) {
      String id = "model-" + m;
      ModelCensus owner =
          before.get(KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, 2));
      owner.written(id, 0, 80);
      owner.written(
          id, 80, 96); // a later write that grows the state does not count the model again
    }
    assertThat(before.stream().mapToLong(ModelCensus::models).sum()).isEqualTo(models);

    List<Tuple3<Integer, Long, Long>> union = new ArrayList<>();
    before.forEach(c -> union.addAll(c.snapshot()));
    long restoredModels = 0;
    long restoredBytes = 0;
    for (int subtask = 0; subtask < 3; subtask++) {
      ModelCensus after = new ModelCensus(MAX_PARALLELISM, 3, subtask);
      after.restore(union);
      assertThat(after.models()).isPositive();
      restoredModels += after.models();
      restoredBytes += after.bytes();
    }
    assertThat(restoredModels).isEqualTo(models);
    assertThat(restoredBytes).isEqualTo(models * 96L);
  }
}
