package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamsgd run --state-backend ROCKSDB}: the trainer in child processes, same models. */
class RunOnRocksDbITCase {
  @Test
  void onRocksDbInChildProcessesTheModelsAreBitIdenticalToTheHeapRun(@TempDir Path tmp)
      throws Exception {
    Path flights = RunDefaultsBeatVowpalWabbitTest.flights(tmp);
    String[] args = {
      "--input", flights.toString(), "--task", "BINARY", "--tag-is-model-id", "--limit", "20000"
    };
    JsonNode heap = RunCommandITCase.run(tmp.resolve("heap.json"), args);
    JsonNode rocksDb =
        RunCommandITCase.run(
            tmp.resolve("rocksdb.json"), append(args, "--state-backend", "ROCKSDB"));
    assertThat(heap.get("checkpoints").get("stateBackend").asText())
        .isEqualTo("HashMapStateBackend");
    assertThat(rocksDb.get("checkpoints").get("stateBackend").asText())
        .isEqualTo("EmbeddedRocksDBStateBackend");
    assertThat(heap.get("models").size()).isGreaterThan(150);
    Map<String, JsonNode> onHeap = new HashMap<>();
    heap.get("models").forEach(m -> onHeap.put(m.get("id").asText(), m));
    assertThat(rocksDb.get("models").size()).isEqualTo(onHeap.size());
    for (JsonNode m : rocksDb.get("models")) {
      JsonNode h = onHeap.get(m.get("id").asText());
      for (String field :
          new String[] {"version", "samplesSeen", "weights", "columns", "metrics"}) {
        assertThat(m.get(field)).as("%s %s", m.get("id"), field).isEqualTo(h.get(field));
      }
    }
    assertThat(rocksDb.get("overall")).isEqualTo(heap.get("overall"));
    // the curve of the overall loss ends at the figure the report ends with
    JsonNode curve = rocksDb.get("lossCurve");
    assertThat(curve.size()).isBetween(50, 101);
    JsonNode last = curve.get(curve.size() - 1);
    assertThat(last.get("samples").asLong()).isEqualTo(20_000);
    assertThat(last.get("meanLoss").asDouble())
        .isCloseTo(rocksDb.get("overall").get("meanLoss").asDouble(), within(1e-12));
    assertThat(tmp.resolve("rocksdb-loss.png")).isNotEmptyFile();
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
