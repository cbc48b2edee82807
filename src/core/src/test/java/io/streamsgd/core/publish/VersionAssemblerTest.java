package io.streamsgd.core.publish;

import static io.streamsgd.core.publish.TestVersions.dense;
import static io.streamsgd.core.publish.TestVersions.denseWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionAssemblerTest {
  private static final int LIMIT = 6_000;

  /** Version {@code v} of model m: 2048 weights, most non-zero, values tied to the version. */
  private static ModelUpdate version(long v) {
    return dense("m", v, 1, TestVersions.weights(new Random(v), 1, 2048, 0.9, v));
  }

  private static List<byte[]> records(ModelUpdate whole) {
    return ModelChunks.split(whole, LIMIT).stream().map(ModelRecord::value).toList();
  }

  private static List<Long> offerAll(VersionAssembler a, List<byte[]> values)
      throws DecodeException {
    List<Long> out = new ArrayList<>();
    for (byte[] v : values) {
      a.offer(v).ifPresent(u -> out.add(u.getVersion()));
    }
    return out;
  }

  @Test
  void aChunkedVersionIsHandedOnOnceItsLastChunkArrives() throws DecodeException {
    VersionAssembler a = VersionAssembler.inMemory();
    List<byte[]> v1 = records(version(1));
    assertThat(v1).hasSize(4);
    // Arrival order: 2, 0, 0 (a duplicate), 3, then 1 completes it.
    assertThat(a.offer(v1.get(2))).isEmpty();
    assertThat(a.offer(v1.get(0))).isEmpty();
    assertThat(a.offer(v1.get(0))).isEmpty();
    assertThat(a.offer(v1.get(3))).isEmpty();
    Optional<ModelUpdate> whole = a.offer(v1.get(1));
    assertThat(whole).isPresent();
    assertThat(whole.get().getChunk()).isNull();
    assertThat(denseWeights(whole.get().getParameters()))
        .isEqualTo(denseWeights(version(1).getParameters()));
    assertThat(a.completeVersion("m")).isEqualTo(1);
    // Late duplicates of a complete version are nothing new.
    assertThat(offerAll(a, v1)).isEmpty();
  }

  @Test
  void wholeRecordsAreHandedOnWhenNewerAndTombstonesAreIgnored() throws DecodeException {
    VersionAssembler a = VersionAssembler.inMemory();
    byte[] small3 = Codecs.MODEL_UPDATE.encode(dense("s", 3, 1, new double[] {1, 2}));
    byte[] small2 = Codecs.MODEL_UPDATE.encode(dense("s", 2, 1, new double[] {3, 4}));
    assertThat(a.offer((byte[]) null)).isEmpty();
    assertThat(a.offer(small3)).map(ModelUpdate::getVersion).hasValue(3L);
    assertThat(a.offer(small2)).isEmpty();
    assertThat(a.offer(small3)).isEmpty();
    assertThat(a.completeVersion("s")).isEqualTo(3);
  }

  @Test
  void chunksOfAnOlderVersionAfterANewerOneAreDroppedNotHeld() throws DecodeException {
    InMemoryChunkStore store = new InMemoryChunkStore();
    VersionAssembler a = new VersionAssembler(store);
    List<byte[]> v1 = records(version(1));
    List<byte[]> v2 = records(version(2));
    assertThat(a.offer(v1.get(0))).isEmpty();
    assertThat(offerAll(a, v2)).containsExactly(2L);
    assertThat(store.chunksHeld()).as("v1's chunk went with v2's completion").isZero();
    assertThat(offerAll(a, v1)).isEmpty();
    assertThat(store.chunksHeld()).isZero();
  }

  @Test
  void interleavedVersionsAreHandedOnAsEachCompletesAndNeverBackwards() throws DecodeException {
    VersionAssembler a = VersionAssembler.inMemory();
    List<byte[]> v2 = records(version(2));
    List<byte[]> v3 = records(version(3));
    List<byte[]> stream = new ArrayList<>();
    for (int i = 0; i < v3.size(); i++) {
      stream.add(v3.get(i));
      if (i < v2.size() - 1) {
        stream.add(v2.get(i));
      }
    }
    stream.add(v2.get(v2.size() - 1)); // v2 would complete last: it is older than v3 by then
    assertThat(offerAll(a, stream)).containsExactly(3L);

    VersionAssembler b = VersionAssembler.inMemory();
    List<byte[]> v2First = new ArrayList<>(v2.subList(0, v2.size() - 1));
    v2First.addAll(v3.subList(0, 2));
    v2First.add(v2.get(v2.size() - 1));
    v2First.addAll(v3.subList(2, v3.size()));
    assertThat(offerAll(b, v2First)).containsExactly(2L, 3L);
  }

  @Test
  void aVersionPublishedTwiceAtDifferentTimesIsNeverMixed() throws DecodeException {
    ModelUpdate first = version(5);
    ModelUpdate replayed = version(5);
    replayed.setPublishedAt(TestVersions.at(first.getPublishedAt().toEpochMilli() + 1));
    replayed.setSamplesSeen(first.getSamplesSeen() + 1); // tells the two apart
    List<byte[]> a1 = records(first);
    List<byte[]> a2 = records(replayed);
    VersionAssembler a = VersionAssembler.inMemory();
    List<ModelUpdate> out = new ArrayList<>();
    for (int i = 0; i < a1.size() - 1; i++) {
      a.offer(a1.get(i)).ifPresent(out::add);
    }
    for (byte[] v : a2) {
      a.offer(v).ifPresent(out::add);
    }
    a.offer(a1.get(a1.size() - 1)).ifPresent(out::add);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getSamplesSeen()).isEqualTo(replayed.getSamplesSeen());
  }

  @Test
  void atMostTheNewestWaitingVersionsAreHeld() throws DecodeException {
    InMemoryChunkStore store = new InMemoryChunkStore();
    VersionAssembler a = new VersionAssembler(store);
    for (long v = 1; v <= 10; v++) {
      a.offer(records(version(v)).get(0));
    }
    assertThat(store.waiting("m"))
        .extracting(ChunkedVersion::version)
        .containsExactly(7L, 8L, 9L, 10L);
    assertThat(offerAll(a, records(version(3))))
        .as("older than the versions waiting: dropped as it comes, skipped, never mixed")
        .isEmpty();
    assertThat(offerAll(a, records(version(9)).subList(1, 4))).containsExactly(9L);
    assertThat(store.waiting("m")).extracting(ChunkedVersion::version).containsExactly(10L);
  }

  @Test
  void aChunkThatCannotBelongToAVersionIsRefused() {
    ModelUpdate chunk = dense("m", 1, 1, new double[] {1, 2});
    chunk.setChunk(new io.streamsgd.schema.ModelChunk(2, 2));
    assertThatThrownBy(() -> VersionAssembler.inMemory().offer(chunk))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Versions 1..n of two models, cut into chunks, delivered at least once in a shuffled order
   * (chunks of neighbouring versions interleaved, duplicates, an old version replayed late,
   * tombstones between): every version handed on is exactly one published version (its metadata and
   * every weight), versions only go up, and the last version of each model is handed on.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void noVersionHandedOnIsEverAMix(long seed) throws DecodeException {
    Random random = new Random(seed);
    int versions = 6;
    Map<String, Map<Long, ModelUpdate>> published = new HashMap<>();
    List<byte[]> stream = new ArrayList<>();
    for (String model : List.of("a", "b")) {
      for (long v = 1; v <= versions; v++) {
        ModelUpdate whole =
            dense(model, v, 1 + random.nextInt(2), TestVersions.weights(random, 1, 1024, 0.8, v));
        if (random.nextInt(4) == 0) {
          whole.setParameters(ModelChunks.sparse(whole.getParameters())); // a trainer's sparse form
        }
        published.computeIfAbsent(model, k -> new HashMap<>()).put(v, whole);
        List<byte[]> records = new ArrayList<>(records(whole));
        if (random.nextBoolean()) {
          records.add(records.get(random.nextInt(records.size()))); // at-least-once duplicate
        }
        records.add(null); // a tombstone of some chunk key
        stream.addAll(records);
      }
    }
    // Interleave neighbours: swap random pairs within a window of 12 records.
    for (int i = 0; i < stream.size() * 2; i++) {
      int x = random.nextInt(stream.size());
      int y = Math.min(stream.size() - 1, x + random.nextInt(12));
      Collections.swap(stream, x, y);
    }
    // And a whole old version replayed late.
    stream.addAll(records(published.get("a").get(2L)));

    VersionAssembler a = VersionAssembler.inMemory();
    Map<String, Long> last = new HashMap<>();
    for (byte[] value : stream) {
      Optional<ModelUpdate> out = a.offer(value);
      if (out.isEmpty()) {
        continue;
      }
      ModelUpdate got = out.get();
      String model = got.getModelId();
      assertThat(got.getVersion()).isGreaterThan(last.getOrDefault(model, 0L));
      last.put(model, got.getVersion());
      ModelUpdate expected = published.get(model).get(got.getVersion());
      assertThat(denseWeights(got.getParameters()))
          .as("%s version %d", model, got.getVersion())
          .isEqualTo(denseWeights(expected.getParameters()));
      assertThat(got.getParameters().getIntercepts())
          .isEqualTo(expected.getParameters().getIntercepts());
      assertThat(got.getPublishedAt()).isEqualTo(expected.getPublishedAt());
      assertThat(got.getChunk()).isNull();
    }
    assertThat(last).containsEntry("a", (long) versions).containsEntry("b", (long) versions);
  }

  /** {@code whole} as the trainer publishes it by default: without its spec, which is returned. */
  private static PublishedSpec namedSpec(ModelUpdate whole, long fromVersion) {
    PublishedSpec spec =
        new PublishedSpec(
            whole.getModelId(),
            whole.getSpecFingerprint(),
            fromVersion,
            whole.getSpec(),
            whole.getPublishedAt());
    whole.setSpec(null);
    return spec;
  }

  @Test
  void aVersionThatNamesItsSpecIsHandedOnWithItWhicheverArrivesFirst() throws DecodeException {
    // Spec first.
    VersionAssembler a = VersionAssembler.inMemory();
    ModelUpdate v1 = version(1);
    ModelSpec expected = v1.getSpec();
    PublishedSpec spec = namedSpec(v1, 1);
    assertThat(a.offerSpec(spec)).isEmpty();
    ModelUpdate got = a.offer(v1).orElseThrow();
    assertThat(got.getSpec()).isEqualTo(expected);

    // Chunked version first, its chunks in any order, then the spec completes it.
    VersionAssembler b = VersionAssembler.inMemory();
    ModelUpdate v2 = version(2);
    PublishedSpec spec2 = namedSpec(v2, 1);
    List<byte[]> chunks = new ArrayList<>(records(v2));
    assertThat(chunks).hasSize(4);
    Collections.reverse(chunks);
    assertThat(offerAll(b, chunks)).as("all chunks, no spec yet").isEmpty();
    assertThat(b.completeVersion("m")).isZero();
    ModelUpdate whole = b.offerSpec(Codecs.PUBLISHED_SPEC.encode(spec2)).orElseThrow();
    assertThat(whole.getVersion()).isEqualTo(2);
    assertThat(whole.getSpec()).isEqualTo(expected);
    assertThat(denseWeights(whole.getParameters()))
        .isEqualTo(denseWeights(version(2).getParameters()));

    // A spec with another fingerprint completes nothing; the whole record waits for its own.
    ModelUpdate v3 = version(3);
    v3.setSpecFingerprint(7);
    PublishedSpec spec3 = namedSpec(v3, 3);
    assertThat(b.offer(v3)).isEmpty();
    assertThat(b.offerSpec(spec2)).isEmpty();
    assertThat(b.completeVersion("m")).isEqualTo(2);
    assertThat(b.offerSpec(spec3).orElseThrow().getVersion()).isEqualTo(3);
  }

  @Test
  void versionsWaitingForTheirSpecAreBoundedAndTheNewestWins() {
    InMemoryChunkStore store = new InMemoryChunkStore();
    VersionAssembler a = new VersionAssembler(store);
    PublishedSpec spec = null;
    for (long v = 1; v <= 10; v++) {
      ModelUpdate u = version(v);
      spec = namedSpec(u, 1);
      assertThat(a.offer(u)).isEmpty();
    }
    assertThat(store.chunksHeld()).isEqualTo(VersionAssembler.MAX_WAITING_VERSIONS);
    assertThat(a.offerSpec(spec).orElseThrow().getVersion()).isEqualTo(10);
    assertThat(store.chunksHeld()).isZero();
    // A version that carries its spec needs none.
    assertThat(a.offer(version(11)).orElseThrow().getVersion()).isEqualTo(11);
  }

  /** Version {@code v} under spec {@code a} (else b), which it names by fingerprint. */
  private static ModelUpdate underSpec(long v, boolean a) {
    ModelUpdate u = version(v);
    u.getSpec().setFadingFactor(a ? 0.99 : 0.9);
    u.setSpecFingerprint(a ? 1 : 2);
    return u;
  }

  private static PublishedSpec spec(boolean a, long fromVersion) {
    ModelUpdate u = underSpec(fromVersion, a);
    return namedSpec(u, fromVersion);
  }

  @Test
  void aSpecChangedBackIsNeededFromItsLaterPublicationWhateverTheOrder() {
    // Specs A from 1, B from 5, A again from 9; a reader that reads the specs ahead of versions.
    VersionAssembler a = VersionAssembler.inMemory();
    a.offerSpec(spec(true, 1));
    a.offerSpec(spec(false, 5));
    a.offerSpec(spec(true, 9));
    for (long v = 1; v <= 12; v++) {
      ModelUpdate u = underSpec(v, v < 5 || v >= 9);
      u.setSpec(null);
      ModelUpdate got = a.offer(u).orElseThrow(() -> new AssertionError("version not handed on"));
      assertThat(got.getSpec().getFadingFactor()).isEqualTo(v < 5 || v >= 9 ? 0.99 : 0.9);
    }

    // A batch job's order (warm start): the later A first, then the earlier one, B, version 8
    // (under B), version 12 (under A). Version 12 wins.
    VersionAssembler b = VersionAssembler.inMemory();
    b.offerSpec(spec(true, 9));
    b.offerSpec(spec(true, 1));
    b.offerSpec(spec(false, 5));
    ModelUpdate v8 = underSpec(8, false);
    v8.setSpec(null);
    ModelUpdate v12 = underSpec(12, true);
    v12.setSpec(null);
    assertThat(b.offer(v8).orElseThrow().getVersion()).isEqualTo(8);
    assertThat(b.offer(v12).orElseThrow().getVersion()).isEqualTo(12);
  }
}
