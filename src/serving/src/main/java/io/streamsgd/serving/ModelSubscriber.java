package io.streamsgd.serving;

import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.schema.ModelUpdate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * For services that embed the model: follows the models topic from the beginning on a background
 * thread (read_committed, no consumer group), keeps the highest complete version per model id in
 * memory, and scores with the same {@code predict} as the trainer. A version published in chunks is
 * taken only once all of its chunks have arrived; stale and duplicate versions are ignored, so
 * at-least-once publication is safe. Reads records in Avro single-object encoding and, given a
 * schema registry among its properties ({@code schema.registry.url}), in the Confluent wire format.
 */
public final class ModelSubscriber implements AutoCloseable {
  private final Map<String, ModelUpdate> latest = new ConcurrentHashMap<>();
  private final Map<String, PublishedModel> decoded = new ConcurrentHashMap<>();
  private final ModelTopicFollower follower;

  /**
   * @param kafkaProperties client settings: bootstrap.servers and any security settings, and a
   *     schema registry's to read Confluent-framed records ({@link ModelTopicFollower})
   */
  public ModelSubscriber(Map<String, Object> kafkaProperties, String topic) {
    this(kafkaProperties, topic, u -> {});
  }

  /**
   * @param kafkaProperties client settings: bootstrap.servers and any security settings, and a
   *     schema registry's to read Confluent-framed records ({@link ModelTopicFollower})
   * @param onNewVersion called on the subscriber's thread with each complete version newer than the
   *     one held for its model, in the order they are taken
   */
  public ModelSubscriber(
      Map<String, Object> kafkaProperties, String topic, Consumer<ModelUpdate> onNewVersion) {
    follower =
        new ModelTopicFollower(
            kafkaProperties,
            topic,
            u -> {
              ModelUpdate held = latest.get(u.getModelId());
              if (held == null || u.getVersion() > held.getVersion()) {
                latest.put(u.getModelId(), u);
                onNewVersion.accept(u);
              }
            });
  }

  /**
   * Waits until everything committed to the topic when this is called has been read.
   *
   * @return false if that took longer than {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower.awaitCaughtUp(timeout);
  }

  /** The latest update held for {@code modelId}. */
  public Optional<ModelUpdate> latest(String modelId) {
    return Optional.ofNullable(latest.get(modelId));
  }

  /** The latest model as a ready scorer (decoded once per version). */
  public Optional<PublishedModel> model(String modelId) {
    ModelUpdate u = latest.get(modelId);
    if (u == null) {
      return Optional.empty();
    }
    return Optional.of(
        decoded.compute(
            modelId,
            (id, held) ->
                held != null && held.version() >= u.getVersion() ? held : PublishedModel.of(u)));
  }

  /** Every model held, latest version each. */
  public Map<String, ModelUpdate> all() {
    return Map.copyOf(latest);
  }

  /**
   * Records of model versions read so far: whole versions and chunks, duplicates and stale versions
   * included.
   */
  public long updatesRead() {
    return follower.updatesRead();
  }

  /**
   * Records on the topic that could not be read as a {@code ModelUpdate}, a Confluent-framed one
   * without a registry among them (skipped, with a warning that says why).
   */
  public long undecodableRecords() {
    return follower.undecodableRecords();
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
  }
}
