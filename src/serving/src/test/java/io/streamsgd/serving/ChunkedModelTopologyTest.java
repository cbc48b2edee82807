package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.LinearParameters;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serving table over a models topic that holds chunked versions, keyed as the trainer keys. */
class ChunkedModelTopologyTest {
  private static final int LIMIT = 6_000;
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> models;
  TestInputTopic<String, byte[]> specs;
  KeyValueStore<String, byte[]> store;
  CurrentModels current = new CurrentModels();

  /** Version {@code version} of model big: 2048 weights, every one equal to the version. */
  static ModelUpdate version(long version) {
    return version(version, 0.1);
  }

  static ModelUpdate version(long version, double learningRate) {
    LearnerState state =
        LearnerState.initial(ModelSpecs.linearRegression("big", 2048, learningRate, 1));
    java.util.Arrays.fill(state.model().weights(), version);
    ModelUpdate u =
        ModelUpdates.snapshot(
            state, new BatchResult(1, 1, 0, 0, 0, true), BatchCloseReason.SIZE, null, version);
    u.setVersion(version);
    return u;
  }

  static List<ModelRecord> records(long version) {
    return ModelChunks.split(version(version), LIMIT);
  }

  static double[] dense(LinearParameters p) {
    return ModelUpdates.model(p).toDense().weights();
  }

  void pipe(ModelRecord r) {
    models.pipeInput(r.key(), r.value());
  }

  @BeforeEach
  void setUp() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ServingSettings s =
        ServingSettings.defaults("unused:9092", Path.of("unused"))
            .withStoreType(LatestModelTopology.StoreType.IN_MEMORY);
    driver = new TopologyTestDriver(LatestModelTopology.build(s, new RequestScorer()), p);
    models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
    specs =
        driver.createInputTopic(
            "models-published-specs", new StringSerializer(), new ByteArraySerializer());
    store = driver.getKeyValueStore(LatestModelTopology.STORE);
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private ModelUpdate held() {
    return current.get(store, "big").orElseThrow();
  }

  /** The store's keys, NUL shown as /, version ids shortened to the version number. */
  private List<String> storeKeys() {
    List<String> keys = new ArrayList<>();
    try (var it = store.all()) {
      it.forEachRemaining(
          (KeyValue<String, byte[]> kv) ->
              keys.add(
                  kv.key
                      .replaceAll("0*(\\d+)\\.\\d{19}\\.\\d{10}", "v$1")
                      .replaceAll("\u0000(\\d{9})(\\d)$", "/$2")
                      .replace('\0', '/')));
    }
    return keys;
  }

  /** The records of {@code whole} as the trainer writes them by default: its spec first, apart. */
  private List<ModelRecord> namingItsSpec(ModelUpdate whole, long fromVersion) {
    PublishedSpec spec =
        new PublishedSpec(
            "big",
            whole.getSpecFingerprint(),
            fromVersion,
            whole.getSpec(),
            whole.getPublishedAt());
    whole.setSpec(null);
    List<ModelRecord> out = new ArrayList<>();
    out.add(ModelRecord.publishedSpec("big", Codecs.PUBLISHED_SPEC.encode(spec), 0));
    out.addAll(ModelChunks.split(whole, LIMIT));
    return out;
  }

  private void pipeEither(ModelRecord r) {
    (r.spec() ? specs : models).pipeInput(r.key(), r.value());
  }

  @Test
  void aVersionThatNamesItsSpecBecomesCurrentOnlyWithItsSpec() {
    List<ModelRecord> v1 = namingItsSpec(version(1), 1);
    v1.forEach(this::pipeEither);
    assertThat(held().getVersion()).isEqualTo(1);
    assertThat(held().getSpec()).isEqualTo(version(1).getSpec());

    // Version 2 under a new spec: its chunks come before its spec (another topic).
    List<ModelRecord> v2 = namingItsSpec(version(2, 0.05), 2);
    v2.subList(1, v2.size()).forEach(this::pipeEither);
    assertThat(held().getVersion()).as("all chunks, no spec: the old version serves").isEqualTo(1);
    assertThat(held().getSpec().getOptimizer().getLearningRate()).isEqualTo(0.1);
    pipeEither(v2.get(0));
    assertThat(held().getVersion()).isEqualTo(2);
    assertThat(held().getSpec().getOptimizer().getLearningRate()).isEqualTo(0.05);
    assertThat(dense(held().getParameters())).containsOnly(2.0).hasSize(2048);
    assertThat(storeKeys())
        .as("the records of the current version and its spec only")
        .hasSize(6)
        .contains("/big", "big/pv2/0", "big/pv2/3")
        .filteredOn(k -> k.startsWith("big/s"))
        .hasSize(1);
  }

  @Test
  void aChunkedVersionBecomesCurrentWholeOnlyOnceAllItsChunksHaveArrived() {
    List<ModelRecord> v1 = records(1);
    List<ModelRecord> v2 = records(2);
    assertThat(v1).hasSize(4);
    v1.forEach(this::pipe);
    assertThat(held().getVersion()).isEqualTo(1);
    assertThat(dense(held().getParameters())).containsOnly(1.0).hasSize(2048);
    assertThat(storeKeys())
        .as("the current version is kept as the records it came in")
        .containsExactly("/big", "big/pv1/0", "big/pv1/1", "big/pv1/2", "big/pv1/3");

    for (int i = 0; i < v2.size() - 1; i++) {
      pipe(v2.get(i));
      assertThat(held().getVersion()).as("after chunk %d of 2", i).isEqualTo(1);
    }
    assertThat(storeKeys()).contains("big/pv2/0", "big/pv2/2", "big/wv2").hasSize(9);
    pipe(v2.get(v2.size() - 1));
    assertThat(held().getVersion()).isEqualTo(2);
    assertThat(held().getChunk()).isNull();
    assertThat(dense(held().getParameters())).containsOnly(2.0).hasSize(2048);
    assertThat(storeKeys())
        .as("version 1 gone, nothing waits")
        .containsExactly("/big", "big/pv2/0", "big/pv2/1", "big/pv2/2", "big/pv2/3");
    assertThat(v2)
        .allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(LIMIT))
        .as("no value in the store is larger than a record of the topic");
  }

  @Test
  void tombstonesLateChunksAndDuplicatesLeaveTheStoreAsItWas() {
    records(3).forEach(this::pipe);
    List<String> before = storeKeys();
    models.pipeInput("big\u00003", (byte[]) null);
    records(2).forEach(this::pipe); // an older version replayed
    pipe(records(3).get(1)); // a duplicate
    assertThat(held().getVersion()).isEqualTo(3);
    assertThat(storeKeys()).isEqualTo(before);
  }

  @Test
  void aModelThatShrinksToOneRecordKeepsOnlyThatRecord() {
    records(1).forEach(this::pipe);
    ModelUpdate small = version(2);
    small.getParameters().setWeights(new DoubleArrayView(new double[2048]));
    models.pipeInput("big", io.streamsgd.schema.codec.Codecs.MODEL_UPDATE.encode(small));
    assertThat(held().getVersion()).isEqualTo(2);
    assertThat(storeKeys()).containsExactly("/big", "big/pv2/0");
  }

  /**
   * A reader on another thread may look at the store between any two of the stream thread's writes:
   * at every such point it must find a whole version, the old one or the new one.
   */
  @Test
  void aReaderBetweenAnyTwoWritesOfANewVersionFindsAWholeVersion() {
    List<Long> seen = new ArrayList<>();
    @SuppressWarnings("unchecked")
    KeyValueStore<String, byte[]> watched =
        (KeyValueStore<String, byte[]>)
            java.lang.reflect.Proxy.newProxyInstance(
                KeyValueStore.class.getClassLoader(),
                new Class<?>[] {KeyValueStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("put") || method.getName().equals("delete")) {
                    new CurrentModels().get(store, "big").ifPresent(u -> seen.add(u.getVersion()));
                  }
                  return result;
                });
    StreamsChunkStore chunks = new StreamsChunkStore(watched);
    chunks.complete(version(1), null);
    chunks.complete(version(2), null);
    chunks.complete(version(3), null);
    assertThat(seen).isNotEmpty().isSorted().containsOnly(1L, 2L, 3L).contains(3L);
  }
}
