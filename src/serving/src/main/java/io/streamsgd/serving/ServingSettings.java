package io.streamsgd.serving;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the serving app.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id: instances with the same id share the work
 * @param modelsTopic the trainer's models topic
 * @param stateDir where Kafka Streams keeps local state
 * @param storeType RocksDB (default for deployments) or in-memory
 * @param kafkaProperties extra Kafka client settings (security etc.), passed through; may hold secrets
 */
public record ServingSettings(
    String bootstrapServers,
    String applicationId,
    String modelsTopic,
    Path stateDir,
    LatestModelTopology.StoreType storeType,
    Map<String, String> kafkaProperties) {

  public ServingSettings {
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  public static ServingSettings defaults(String bootstrapServers, Path stateDir) {
    return new ServingSettings(
        bootstrapServers, "streamsgd-serving", "models", stateDir, LatestModelTopology.StoreType.ROCKSDB, Map.of());
  }

  public ServingSettings withStoreType(LatestModelTopology.StoreType type) {
    return new ServingSettings(bootstrapServers, applicationId, modelsTopic, stateDir, type, kafkaProperties);
  }

  public ServingSettings withModelsTopic(String topic) {
    return new ServingSettings(bootstrapServers, applicationId, topic, stateDir, storeType, kafkaProperties);
  }

  public ServingSettings withApplicationId(String id) {
    return new ServingSettings(bootstrapServers, id, modelsTopic, stateDir, storeType, kafkaProperties);
  }

  Properties streamsProperties() {
    Properties p = new Properties();
    p.putAll(kafkaProperties);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Fresh models matter more than batching: commit (and so expose) often.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // The trainer publishes in Kafka transactions: never serve an aborted model.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class.getName());
    return p;
  }

  @Override
  public String toString() {
    return "ServingSettings{bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId
        + ", modelsTopic=" + modelsTopic + ", stateDir=" + stateDir + ", storeType=" + storeType
        + ", kafkaProperties=" + new TreeMap<>(kafkaProperties).keySet() + " (values hidden)}";
  }
}
