package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The serving topology. The models topic is reduced to a table that keeps, per model id, the update
 * with the highest version: a stale or duplicate version (a replay after a trainer failure in
 * at-least-once mode, or records read out of order) never moves a model backwards. A version
 * published in chunks enters the table whole, once all its chunks are in ({@link
 * VersionAssemblyProcessor}, its chunks waiting in the {@code model-chunks} store), so a request is
 * never scored with a mix of two versions. Prediction requests (keyed by model id, co-partitioned
 * with the models topic) are joined with that table and answered on the predictions topic, with the
 * version that scored them; a request for an unknown model, or with features that do not fit, gets
 * an error record.
 */
public final class LatestModelTopology {
  /** Name of the queryable store that holds the latest update per model id. */
  public static final String STORE = "latest-models";

  /** Where the table lives. */
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

  /** The model table alone (no prediction stream). */
  public static Topology build(String modelsTopic, StoreType storeType) {
    StreamsBuilder builder = new StreamsBuilder();
    table(builder, modelsTopic, storeType);
    return builder.build();
  }

  /**
   * The model table and the prediction stream joined against it; the table alone when the settings
   * name no requests topic (HTTP-only serving).
   */
  public static Topology build(ServingSettings s, RequestScorer scorer) {
    StreamsBuilder builder = new StreamsBuilder();
    KTable<String, ModelUpdate> models = table(builder, s.modelsTopic(), s.storeType());
    if (!s.answersRequestTopic()) {
      return builder.build();
    }
    builder.stream(
            s.requestsTopic(),
            Consumed.with(Serdes.String(), SingleObjectSerde.predictionRequest()))
        .leftJoin(
            models,
            scorer::score,
            Joined.with(
                Serdes.String(),
                SingleObjectSerde.predictionRequest(),
                SingleObjectSerde.modelUpdate()))
        .to(s.predictionsTopic(), Produced.with(Serdes.String(), SingleObjectSerde.prediction()));
    return builder.build();
  }

  private static KTable<String, ModelUpdate> table(
      StreamsBuilder builder, String modelsTopic, StoreType storeType) {
    KeyValueBytesStoreSupplier supplier =
        storeType == StoreType.IN_MEMORY
            ? Stores.inMemoryKeyValueStore(STORE)
            : Stores.persistentKeyValueStore(STORE);
    KeyValueBytesStoreSupplier chunks =
        storeType == StoreType.IN_MEMORY
            ? Stores.inMemoryKeyValueStore(VersionAssemblyProcessor.STORE)
            : Stores.persistentKeyValueStore(VersionAssemblyProcessor.STORE);
    builder.addStateStore(Stores.keyValueStoreBuilder(chunks, Serdes.String(), Serdes.ByteArray()));
    // Keys read as model ids (a chunk's key names its model), so no step changes a key and
    // nothing is repartitioned: the trainer writes a model's chunks to its id's partition.
    return builder.stream(
            modelsTopic, Consumed.with(ModelIdSerde.serde(), SingleObjectSerde.modelUpdate()))
        .processValues(VersionAssemblyProcessor::new, VersionAssemblyProcessor.STORE)
        .groupByKey()
        .reduce(
            LatestModelTopology::newer,
            Materialized.<String, ModelUpdate>as(supplier)
                .withKeySerde(Serdes.String())
                .withValueSerde(SingleObjectSerde.modelUpdate()));
  }

  /** The update to keep: the higher version; on a tie the one already held. */
  static ModelUpdate newer(ModelUpdate held, ModelUpdate arriving) {
    return arriving.getVersion() > held.getVersion() ? arriving : held;
  }
}
