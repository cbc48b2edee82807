package io.streamsgd.serving;

import io.streamsgd.schema.TopicNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The serving topology. The models topic feeds a store that keeps, per model id, the complete
 * version with the highest version number ({@link VersionAssemblyProcessor}): a stale or duplicate
 * version (a replay after a trainer failure in at-least-once mode, or records read out of order)
 * never moves a model backwards, and a version published in chunks becomes current only once all
 * its chunks are in, so a request is never scored with a mix of two versions. Prediction requests
 * (keyed by model id, co-partitioned with the models topic) are answered from that store on the
 * predictions topic, with the version that scored them; a request for an unknown model, or with
 * features that do not fit, gets an error record.
 */
public final class LatestModelTopology {
  /**
   * Name of the queryable store that holds the latest version per model id, as the records it came
   * in ({@link StreamsChunkStore}).
   */
  public static final String STORE = "latest-models";

  /** Where the store lives. */
  public enum StoreType {
    /** Kafka Streams' RocksDB store, restored from the changelog on restart. */
    ROCKSDB,
    /**
     * A heap store, rebuilt from the changelog on restart; for embedded use next to Flink's
     * RocksDB.
     */
    IN_MEMORY
  }

  private LatestModelTopology() {}

  /**
   * The model store and the prediction stream answered from it; the store alone when the settings
   * name no requests topic (HTTP-only serving). Models and requests are read in either framing
   * (Confluent-framed ones through the registry among the settings' Kafka properties); for
   * Confluent-framed predictions the {@code Prediction} schema is registered first ({@link
   * ServingFraming#of}).
   */
  public static Topology build(ServingSettings s, RequestScorer scorer) {
    return build(s, scorer, new CurrentModels(), ServingFraming.of(s));
  }

  /** As above; {@code models} reads the store for the requests. */
  static Topology build(
      ServingSettings s, RequestScorer scorer, CurrentModels models, ServingFraming framing) {
    StreamsBuilder builder = new StreamsBuilder();
    models(builder, s.modelsTopic(), s.storeType(), framing);
    if (!s.answersRequestTopic()) {
      return builder.build();
    }
    builder.stream(s.requestsTopic(), Consumed.with(Serdes.String(), framing.predictionRequests()))
        .processValues(() -> new PredictionProcessor(scorer, models), STORE)
        .to(s.predictionsTopic(), Produced.with(Serdes.String(), framing.predictions()));
    return builder.build();
  }

  private static void models(
      StreamsBuilder builder, String modelsTopic, StoreType storeType, ServingFraming framing) {
    KeyValueBytesStoreSupplier supplier =
        storeType == StoreType.IN_MEMORY
            ? Stores.inMemoryKeyValueStore(STORE)
            : Stores.persistentKeyValueStore(STORE);
    // Values are records of the models topic, never a whole large model: the changelog takes
    // what the topic takes.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()));
    // Keys read as model ids (a chunk's key names its model), so no step changes a key and
    // nothing is repartitioned: the trainer writes a model's chunks to its id's partition.
    builder.stream(modelsTopic, Consumed.with(ModelIdSerde.serde(), framing.modelUpdates()))
        .process(VersionAssemblyProcessor::new, STORE);
    // The specs versions name by fingerprint, partitioned as the models: same task, same store.
    builder.stream(
            TopicNames.publishedSpecs(modelsTopic),
            Consumed.with(Serdes.String(), framing.publishedSpecs()))
        .process(PublishedSpecProcessor::new, STORE);
  }
}
