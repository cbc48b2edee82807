package io.streamsgd.core.publish;

import static io.streamsgd.core.publish.TestVersions.dense;
import static io.streamsgd.core.publish.TestVersions.denseWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.ModelChunk;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelChunksTest {

  private static List<ModelUpdate> decode(List<ModelRecord> records) throws DecodeException {
    List<ModelUpdate> out = new ArrayList<>();
    for (ModelRecord r : records) {
      out.add(Codecs.MODEL_UPDATE.decode(r.value()));
    }
    return out;
  }

  @Test
  void aVersionThatFitsIsOneRecordOfItsOwnBytes() {
    ModelUpdate u = dense("small", 3, 1, new double[] {0.5, 0, -1.5});
    List<ModelRecord> records = ModelChunks.split(u, 20_000);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo("small");
    assertThat(records.get(0).modelId()).isEqualTo("small");
    assertThat(records.get(0).timestamp()).isEqualTo(u.getPublishedAt().toEpochMilli());
    assertThat(records.get(0).value()).isEqualTo(Codecs.MODEL_UPDATE.encode(u));
  }

  @Test
  void aLargeModelWithFewWeightsIsOneSparseRecord() throws DecodeException {
    double[] w = new double[1 << 14]; // 131 kB dense
    w[3] = 1.5;
    w[9_000] = -0.0; // kept: the dense model comes back bit for bit
    w[16_383] = 2.5;
    ModelUpdate u = dense("hashed", 5, 1, w);
    List<ModelRecord> records = ModelChunks.split(u, 20_000);
    assertThat(records).hasSize(1);
    ModelUpdate read = Codecs.MODEL_UPDATE.decode(records.get(0).value());
    assertThat(read.getChunk()).isNull();
    assertThat(read.getParameters().getColumns()).containsExactly(3, 9_000, 16_383);
    assertThat(read.getParameters().getWeights()).containsExactly(1.5, -0.0, 2.5);
    assertThat(read.getParameters().getDimension()).isEqualTo(1 << 14);
    assertThat(denseWeights(read.getParameters())).isEqualTo(w);
  }

  @Test
  void aLargeModelIsCutIntoChunksOfAtMostTheLimitThatMergeBackBitForBit() throws DecodeException {
    double[] w = new double[4096];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 7 == 0 ? 0 : Math.sin(i); // 3,510 non-zero columns
    }
    ModelUpdate u = dense("wide", 42, 1, w);
    List<ModelRecord> records = ModelChunks.split(u, 10_000);

    assertThat(records)
        .extracting(ModelRecord::key)
        .containsExactly("wide", "wide\u00001", "wide\u00002", "wide\u00003");
    assertThat(records).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(10_000));
    List<ModelUpdate> chunks = decode(records);
    int columns = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ModelUpdate c = chunks.get(i);
      assertThat(c.getChunk()).isEqualTo(new ModelChunk(i, 4));
      assertThat(c.getVersion()).isEqualTo(42);
      assertThat(c.getSamplesSeen()).isEqualTo(u.getSamplesSeen());
      assertThat(c.getParameters().getIntercepts()).isEqualTo(u.getParameters().getIntercepts());
      columns += c.getParameters().getColumns().size();
    }
    assertThat(columns).isEqualTo(3510);
    // Chunks hold consecutive, increasing column ranges: each starts after the last one ended.
    for (int i = 1; i < chunks.size(); i++) {
      List<Integer> before = chunks.get(i - 1).getParameters().getColumns();
      assertThat(chunks.get(i).getParameters().getColumns().get(0))
          .isGreaterThan(before.get(before.size() - 1));
    }

    ModelUpdate whole = ModelChunks.merge(chunks);
    assertThat(whole.getChunk()).isNull();
    assertThat(denseWeights(whole.getParameters())).isEqualTo(w);
    assertThat(whole.getParameters().getIntercepts()).isEqualTo(u.getParameters().getIntercepts());
    ModelUpdate expected = ModelUpdate.newBuilder(u).build();
    expected.setParameters(ModelChunks.sparse(u.getParameters()));
    assertThat(Codecs.MODEL_UPDATE.encode(whole)).isEqualTo(Codecs.MODEL_UPDATE.encode(expected));
  }

  @Test
  void multiclassChunksKeepEveryOutputsWeightsOfTheirColumns() throws DecodeException {
    Random random = new Random(3);
    double[] w = TestVersions.weights(random, 3, 2048, 0.5, 1);
    ModelUpdate u = dense("classes", 1, 3, w);
    List<ModelRecord> records = ModelChunks.split(u, 8_000);
    assertThat(records.size()).isGreaterThanOrEqualTo(3);
    List<ModelUpdate> chunks = decode(records);
    for (ModelUpdate c : chunks) {
      assertThat(c.getParameters().getWeights()).hasSize(3 * c.getParameters().getColumns().size());
    }
    assertThat(denseWeights(ModelChunks.merge(chunks).getParameters())).isEqualTo(w);
  }

  @Test
  void theSameVersionIsCutIntoTheSameBytes() {
    double[] w = TestVersions.weights(new Random(11), 1, 1 << 13, 0.9, 4);
    List<ModelRecord> first = ModelChunks.split(dense("m", 4, 1, w), 12_000);
    List<ModelRecord> second = ModelChunks.split(dense("m", 4, 1, w), 12_000);
    assertThat(first).hasSizeGreaterThan(2).hasSameSizeAs(second);
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).key()).isEqualTo(second.get(i).key());
      assertThat(first.get(i).value()).isEqualTo(second.get(i).value());
    }
  }

  @Test
  void aLimitBelowTheRepeatedPartOfAChunkIsRefused() {
    double[] w = new double[8192];
    Arrays.fill(w, 1.0);
    ModelUpdate u = dense("m", 1, 1, w);
    int fixed = Codecs.MODEL_UPDATE.encode(dense("m", 1, 1, new double[1])).length;
    assertThatThrownBy(() -> ModelChunks.split(u, fixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be chunked into records of");
  }

  @Test
  void chunksOfDifferentVersionsOrMissingOnesDoNotMerge() throws DecodeException {
    double[] w = TestVersions.weights(new Random(5), 1, 4096, 1.0, 1);
    List<ModelUpdate> v1 = decode(ModelChunks.split(dense("m", 1, 1, w), 10_000));
    List<ModelUpdate> v2 = decode(ModelChunks.split(dense("m", 2, 1, w), 10_000));
    List<ModelUpdate> mixed = new ArrayList<>(v1);
    mixed.set(1, v2.get(1));
    assertThatThrownBy(() -> ModelChunks.merge(mixed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelChunks.merge(v1.subList(0, v1.size() - 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunkKeysNameTheirModel() {
    assertThat(ChunkKeys.key("m.1", 0)).isEqualTo("m.1");
    assertThat(ChunkKeys.key("m.1", 12)).isEqualTo("m.1\u000012");
    assertThat(ChunkKeys.modelId("m.1\u000012")).isEqualTo("m.1");
    assertThat(ChunkKeys.modelId("m.1")).isEqualTo("m.1");
  }
}
