package io.streamsgd.serving;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams serving app: keeps the latest model per id, answers the prediction-requests
 * topic (see {@link LatestModelTopology}), and serves interactive queries, in Java and over HTTP
 * ({@link ServingHttpApi}), routed to the instance that holds the model.
 */
public final class ModelServingApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServingApp.class);

  /** Points kept per model for the dashboard's curves, and models whose curves are kept. */
  static final int HISTORY_POINTS = 512;

  static final int HISTORY_MODELS = 1000;

  private final ServingSettings settings;
  private final ServingMetrics metrics = new ServingMetrics();
  private final RequestScorer scorer = new RequestScorer(metrics);
  private final CurrentModels models = new CurrentModels();
  private final ModelHistory history = new ModelHistory(HISTORY_POINTS, HISTORY_MODELS);
  private volatile ModelTopicFollower historyFollower;
  private final ServingHttpApi http;
  private final HostInfo self;
  private final KafkaStreams streams;
  private volatile Throwable failure;

  public ModelServingApp(ServingSettings settings) {
    LOG.info("Starting serving app: {}", settings);
    this.settings = settings;
    // Before the HTTP API starts: registering the predictions' schema may fail (or wait).
    ServingFraming framing = ServingFraming.of(settings);
    this.http = settings.httpPort() >= 0 ? new ServingHttpApi(this) : null;
    this.self =
        http == null
            ? null
            : new HostInfo(
                settings.httpHost(), http.start(settings.httpBindAddress(), settings.httpPort()));
    this.streams =
        new KafkaStreams(
            LatestModelTopology.build(settings, scorer, models, framing),
            settings.streamsProperties(self == null ? null : self.host() + ":" + self.port()));
    streams.setUncaughtExceptionHandler(
        e -> {
          failure = e;
          LOG.error("Serving app stopped", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    metrics.gaugeModels(this::modelsHeld, history);
  }

  /** Starts the app and waits until its store can be queried. */
  public ModelServingApp start(Duration timeout) throws InterruptedException {
    if (settings.answersRequestTopic()) {
      checkCoPartitioned();
    }
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      Throwable f = failure;
      if (f != null || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(startFailure(f), f);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "serving app did not reach RUNNING within " + timeout + ": " + streams.state());
      }
      Thread.sleep(50);
    }
    if (http != null) {
      // The dashboard's curves come from a reader of its own rather than from the Streams table:
      // the table holds only the latest version, and only this instance's share of the models.
      // It is given the registry's settings too, to read Confluent-framed models.
      Map<String, Object> client = new HashMap<>(settings.kafkaProperties());
      client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
      historyFollower = new ModelTopicFollower(client, settings.modelsTopic(), history::record);
    }
    return this;
  }

  /**
   * A request is answered from the model store of the task that reads its partition, and a version
   * from the spec published beside it, so the requests and published-specs topics must have as many
   * partitions as the models topic (Kafka Streams checks this for joins only). A topic that does
   * not exist yet is left to Kafka Streams, which names it.
   */
  private void checkCoPartitioned() {
    String specs = TopicNames.publishedSpecs(settings.modelsTopic());
    try (Admin admin = Admin.create(settings.kafkaClientProperties())) {
      Map<String, Integer> partitions = new HashMap<>();
      for (String topic : List.of(settings.modelsTopic(), settings.requestsTopic(), specs)) {
        try {
          partitions.put(
              topic,
              admin
                  .describeTopics(List.of(topic))
                  .allTopicNames()
                  .get()
                  .get(topic)
                  .partitions()
                  .size());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
          }
        }
      }
      Integer models = partitions.get(settings.modelsTopic());
      for (String beside : List.of(settings.requestsTopic(), specs)) {
        Integer count = partitions.get(beside);
        if (models != null && count != null && !models.equals(count)) {
          throw new IllegalStateException(
              "serving app cannot start: '"
                  + beside
                  + "' has "
                  + count
                  + " partitions and '"
                  + settings.modelsTopic()
                  + "' "
                  + models
                  + "; it is read beside the models per partition, so both need the same number");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the topics", e);
    }
  }

  private OptionalLong modelsHeld() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(StreamsChunkStore.modelIds(store()).size());
    } catch (InvalidStateStoreException e) {
      return OptionalLong.empty();
    }
  }

  private String startFailure(Throwable f) {
    boolean missingTopic = false;
    for (Throwable c = f; c != null; c = c.getCause()) {
      missingTopic |= c instanceof MissingSourceTopicException;
    }
    if (missingTopic) {
      String specs = TopicNames.publishedSpecs(settings.modelsTopic());
      String topics =
          settings.answersRequestTopic()
              ? "'"
                  + settings.modelsTopic()
                  + "', '"
                  + specs
                  + "' and '"
                  + settings.requestsTopic()
                  + "'"
              : "'" + settings.modelsTopic() + "' and '" + specs + "'";
      return "serving app cannot start: its input topics "
          + topics
          + " must exist (streamsgd topics create makes them;"
          + " an empty requests topic name serves over HTTP only)";
    }
    return "serving app stopped while starting: " + (f == null ? streams.state() : f.getMessage());
  }

  private ReadOnlyKeyValueStore<String, byte[]> store() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            LatestModelTopology.STORE, QueryableStoreTypes.keyValueStore()));
  }

  /** The latest update held for {@code modelId} by this instance. */
  public Optional<ModelUpdate> latest(String modelId) {
    return queried(store -> models.get(store, modelId));
  }

  /** Every model this instance holds, latest version each. */
  public List<ModelUpdate> all() {
    return queried(
        store -> {
          List<ModelUpdate> out = new ArrayList<>();
          for (String id : StreamsChunkStore.modelIds(store)) {
            models.get(store, id).ifPresent(out::add);
          }
          return out;
        });
  }

  /** How long a query waits for the store through a rebalance before it answers "unavailable". */
  static final java.time.Duration STORE_WAIT = java.time.Duration.ofSeconds(3);

  /**
   * Runs a query on the store; while a rebalance makes the store briefly unqueryable (an instance
   * joined or left), waits up to {@link #STORE_WAIT} for it rather than failing the request.
   */
  private <T> T queried(
      java.util.function.Function<ReadOnlyKeyValueStore<String, byte[]>, T> query) {
    long deadline = System.nanoTime() + STORE_WAIT.toNanos();
    while (true) {
      try {
        return query.apply(store());
      } catch (InvalidStateStoreException e) {
        KafkaStreams.State state = streams.state();
        boolean passing =
            state == KafkaStreams.State.REBALANCING || state == KafkaStreams.State.RUNNING;
        if (!passing || System.nanoTime() > deadline) {
          throw new StoreUnavailableException(
              "model store not queryable now (rebalancing?): " + e.getMessage(), e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException("interrupted while waiting for the model store", e);
        }
      }
    }
  }

  /** The latest model as a ready scorer. */
  public Optional<PublishedModel> model(String modelId) {
    return latest(modelId).map(scorer::model);
  }

  /**
   * Scores {@code x} with the latest model held here; the result names the version that produced
   * it.
   */
  public Optional<ServedPrediction> predict(String modelId, FeatureVector x) {
    return latest(modelId)
        .map(
            u ->
                new ServedPrediction(
                    modelId, u.getVersion(), scorer.model(u).predict(x), u.getPublishedAt()));
  }

  /** A prediction, the model version that made it and when the trainer published that version. */
  public record ServedPrediction(
      String modelId, long version, ModelOutput prediction, Instant publishedAt) {}

  /**
   * Which instance holds {@code modelId}: this one (empty), another one (its HTTP host), or nobody
   * right now (a rebalance).
   */
  Optional<HostInfo> ownerOf(String modelId) {
    KeyQueryMetadata meta =
        streams.queryMetadataForKey(
            LatestModelTopology.STORE, modelId, Serdes.String().serializer());
    if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new StoreUnavailableException(
          "no instance holds model " + modelId + " right now", null);
    }
    return meta.activeHost().equals(self) ? Optional.empty() : Optional.of(meta.activeHost());
  }

  /** The HTTP hosts of the other instances of this application. */
  List<HostInfo> otherInstances() {
    List<HostInfo> out = new ArrayList<>();
    streams
        .metadataForAllStreamsClients()
        .forEach(
            m -> {
              if (!m.hostInfo().equals(self) && m.hostInfo().port() > 0) {
                out.add(m.hostInfo());
              }
            });
    return out;
  }

  /** Port of the HTTP API, or -1 when it runs none. */
  public int httpPort() {
    return self == null ? -1 : self.port();
  }

  public ServingSettings settings() {
    return settings;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** This instance's metrics (also at {@code GET /metrics}). */
  public ServingMetrics metrics() {
    return metrics;
  }

  /**
   * The recent history of every model on the models topic, as this instance reads it; filled only
   * while the app runs an HTTP API (it feeds the dashboard).
   */
  public ModelHistory history() {
    return history;
  }

  @Override
  public void close() {
    // Leaving the group on close hands this instance's partitions to the others at once, instead
    // of after the session timeout, so a rolling restart does not leave models unanswered.
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    if (http != null) {
      http.stop();
    }
    if (historyFollower != null) {
      try {
        historyFollower.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The store cannot be queried now (the instance is rebalancing or restoring). */
  public static final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
