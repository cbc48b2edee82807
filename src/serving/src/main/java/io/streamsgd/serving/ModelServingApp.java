package io.streamsgd.serving;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.Prediction;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams serving app: keeps the latest model per id (see {@link LatestModelTopology})
 * and answers interactive queries for a model and for predictions with it.
 */
public final class ModelServingApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServingApp.class);

  private final KafkaStreams streams;
  /** Decoded models by id, replaced when the store holds a higher version. */
  private final ConcurrentHashMap<String, PublishedModel> decoded = new ConcurrentHashMap<>();

  public ModelServingApp(ServingSettings settings) {
    LOG.info("Starting serving app: {}", settings);
    this.streams =
        new KafkaStreams(LatestModelTopology.build(settings.modelsTopic(), settings.storeType()), settings.streamsProperties());
  }

  /** Starts the app and waits until its store can be queried. */
  public ModelServingApp start(Duration timeout) throws InterruptedException {
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("serving app did not reach RUNNING within " + timeout + ": " + streams.state());
      }
      Thread.sleep(50);
    }
    return this;
  }

  private ReadOnlyKeyValueStore<String, ModelUpdate> store() {
    return streams.store(StoreQueryParameters.fromNameAndType(LatestModelTopology.STORE, QueryableStoreTypes.keyValueStore()));
  }

  /** The latest update held for {@code modelId}. */
  public Optional<ModelUpdate> latest(String modelId) {
    try {
      return Optional.ofNullable(store().get(modelId));
    } catch (InvalidStateStoreException e) {
      throw new IllegalStateException("model store not queryable now (rebalancing?): " + e.getMessage(), e);
    }
  }

  /** Every model held, latest version each. */
  public List<ModelUpdate> all() {
    List<ModelUpdate> out = new ArrayList<>();
    try (KeyValueIterator<String, ModelUpdate> it = store().all()) {
      while (it.hasNext()) {
        KeyValue<String, ModelUpdate> kv = it.next();
        out.add(kv.value);
      }
    }
    return out;
  }

  /** The latest model as a ready scorer. */
  public Optional<PublishedModel> model(String modelId) {
    Optional<ModelUpdate> update = latest(modelId);
    if (update.isEmpty()) {
      return Optional.empty();
    }
    ModelUpdate u = update.get();
    return Optional.of(
        decoded.compute(modelId, (id, held) -> held != null && held.version() >= u.getVersion() ? held : PublishedModel.of(u)));
  }

  /** Scores {@code x} with the latest model; the result names the version that produced it. */
  public Optional<ServedPrediction> predict(String modelId, FeatureVector x) {
    return model(modelId).map(m -> new ServedPrediction(modelId, m.version(), m.predict(x)));
  }

  /** A prediction and the model version that made it. */
  public record ServedPrediction(String modelId, long version, Prediction prediction) {}

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
