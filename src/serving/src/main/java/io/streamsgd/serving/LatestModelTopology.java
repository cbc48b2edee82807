package io.streamsgd.serving;

import io.streamsgd.schema.ModelUpdate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The serving topology: the models topic reduced to a table that keeps, per model id, the
 * update with the highest version. A stale or duplicate version (a replay after a trainer
 * failure in at-least-once mode, or records read out of order) never moves a model backwards.
 */
public final class LatestModelTopology {
  /** Name of the queryable store that holds the latest update per model id. */
  public static final String STORE = "latest-models";

  /** Where the table lives. */
  public enum StoreType {
    /** Kafka Streams' RocksDB store, restored from the changelog on restart. */
    ROCKSDB,
    /** A heap store, rebuilt from the changelog on restart; for embedded use next to Flink's RocksDB. */
    IN_MEMORY
  }

  private LatestModelTopology() {}

  public static Topology build(String modelsTopic, StoreType storeType) {
    StreamsBuilder builder = new StreamsBuilder();
    KeyValueBytesStoreSupplier supplier =
        storeType == StoreType.IN_MEMORY ? Stores.inMemoryKeyValueStore(STORE) : Stores.persistentKeyValueStore(STORE);
    builder.stream(modelsTopic, Consumed.with(Serdes.String(), ModelUpdateSerde.create()))
        .groupByKey()
        .reduce(
            LatestModelTopology::newer,
            Materialized.<String, ModelUpdate>as(supplier)
                .withKeySerde(Serdes.String())
                .withValueSerde(ModelUpdateSerde.create()));
    return builder.build();
  }

  /** The update to keep: the higher version; on a tie the one already held. */
  static ModelUpdate newer(ModelUpdate held, ModelUpdate arriving) {
    return arriving.getVersion() > held.getVersion() ? arriving : held;
  }
}
