package io.streamsgd.serving;

import io.streamsgd.schema.TopicNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the serving app.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id: instances with the same id share the work
 * @param modelsTopic the trainer's models topic
 * @param requestsTopic prediction requests (co-partitioned with the models topic); null or empty
 *     for HTTP-only serving
 * @param predictionsTopic where predictions are written
 * @param stateDir where Kafka Streams keeps local state
 * @param storeType RocksDB (default for deployments) or in-memory
 * @param httpHost host this instance's HTTP API is reached at by the other instances
 * @param httpBind address the HTTP API binds to; null binds to {@code httpHost} (0.0.0.0 in a
 *     container whose name other instances use as {@code httpHost})
 * @param httpPort port of the HTTP API; 0 picks a free one, -1 runs no HTTP API
 * @param kafkaProperties extra Kafka client settings (security etc.), passed through; may hold
 *     secrets. A schema registry's settings may be among them, under the names Confluent's clients
 *     use ({@link RegistryProperties}): models and requests in the Confluent framing are then read
 *     through it. They are not passed to Kafka.
 * @param predictionFraming how predictions are framed; {@link PredictionFraming#CONFLUENT} needs a
 *     registry among {@code kafkaProperties}
 */
public record ServingSettings(
    String bootstrapServers,
    String applicationId,
    String modelsTopic,
    String requestsTopic,
    String predictionsTopic,
    Path stateDir,
    LatestModelTopology.StoreType storeType,
    String httpHost,
    String httpBind,
    int httpPort,
    Map<String, String> kafkaProperties,
    PredictionFraming predictionFraming) {

  public ServingSettings {
    kafkaProperties = Map.copyOf(kafkaProperties);
    predictionFraming =
        predictionFraming == null ? PredictionFraming.SINGLE_OBJECT : predictionFraming;
  }

  public static ServingSettings defaults(String bootstrapServers, Path stateDir) {
    return new ServingSettings(
        bootstrapServers,
        "streamsgd-serving",
        TopicNames.MODELS,
        TopicNames.PREDICTION_REQUESTS,
        TopicNames.PREDICTIONS,
        stateDir,
        LatestModelTopology.StoreType.ROCKSDB,
        "127.0.0.1",
        null,
        -1,
        Map.of(),
        PredictionFraming.SINGLE_OBJECT);
  }

  public ServingSettings withStoreType(LatestModelTopology.StoreType type) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        type,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        predictionFraming);
  }

  public ServingSettings withModelsTopic(String topic) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        topic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        predictionFraming);
  }

  /** Another requests topic; null serves over HTTP only. */
  public ServingSettings withRequestsTopic(String topic) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        topic,
        predictionsTopic,
        stateDir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        predictionFraming);
  }

  public ServingSettings withApplicationId(String id) {
    return new ServingSettings(
        bootstrapServers,
        id,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        predictionFraming);
  }

  public ServingSettings withHttp(String host, int port) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        storeType,
        host,
        httpBind,
        port,
        kafkaProperties,
        predictionFraming);
  }

  /** Whether requests arrive on a topic too (else over HTTP only). */
  public boolean answersRequestTopic() {
    return requestsTopic != null && !requestsTopic.isBlank();
  }

  /** The address the HTTP API binds to. */
  public String httpBindAddress() {
    return httpBind != null ? httpBind : httpHost;
  }

  public ServingSettings withStateDir(Path dir) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        dir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        predictionFraming);
  }

  public ServingSettings withKafkaProperties(Map<String, String> properties) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        properties,
        predictionFraming);
  }

  public ServingSettings withPredictionFraming(PredictionFraming framing) {
    return new ServingSettings(
        bootstrapServers,
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        stateDir,
        storeType,
        httpHost,
        httpBind,
        httpPort,
        kafkaProperties,
        framing);
  }

  /**
   * The Kafka client settings without the registry's: what an admin or producer of the app is
   * given, next to the bootstrap servers.
   */
  Map<String, Object> kafkaClientProperties() {
    Map<String, Object> client = new HashMap<>(RegistryProperties.withoutRegistry(kafkaProperties));
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return client;
  }

  /**
   * Kafka Streams properties; {@code applicationServer} is host:port of this instance's HTTP API,
   * or null.
   */
  Properties streamsProperties(String applicationServer) {
    Properties p = new Properties();
    p.putAll(RegistryProperties.withoutRegistry(kafkaProperties));
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
    if (applicationServer != null) {
      p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    return p;
  }

  @Override
  public String toString() {
    return "ServingSettings{bootstrapServers="
        + bootstrapServers
        + ", applicationId="
        + applicationId
        + ", topics=["
        + modelsTopic
        + ", "
        + requestsTopic
        + ", "
        + predictionsTopic
        + "], stateDir="
        + stateDir
        + ", storeType="
        + storeType
        + ", http="
        + httpHost
        + ":"
        + httpPort
        + ", kafkaProperties="
        + new TreeMap<>(kafkaProperties).keySet()
        + " (values hidden), predictionFraming="
        + predictionFraming
        + "}";
  }
}
