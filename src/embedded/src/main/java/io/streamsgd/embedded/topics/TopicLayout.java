package io.streamsgd.embedded.topics;

import io.streamsgd.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics streamsgd uses and the settings each needs. Models and specs are compacted: the latest
 * record per model id is the current one, and compaction keeps it forever. Samples, dead letters,
 * prediction requests and predictions are logs with a retention. Prediction requests have as many
 * partitions as models, because the serving app joins them by key.
 */
public record TopicLayout(
    String samples,
    String specs,
    String models,
    String deadLetters,
    String modelEvents,
    String predictionRequests,
    String predictions,
    int partitions,
    Retention retention) {

  /** How long each log topic keeps its records. */
  public record Retention(
      Duration samples,
      Duration deadLetters,
      Duration modelEvents,
      Duration predictionRequests,
      Duration predictions) {
    public static Retention defaults() {
      return new Retention(
          Duration.ofDays(7),
          Duration.ofDays(30),
          Duration.ofDays(30),
          Duration.ofDays(1),
          Duration.ofDays(1));
    }
  }

  /**
   * A compacted topic keeps a record at least this long before compaction may drop it for a newer
   * one with the same key: a consumer reading the topic's head sees every version published in the
   * last minute, not only the latest.
   */
  static final Duration MIN_COMPACTION_LAG = Duration.ofMinutes(1);

  public static TopicLayout defaults(int partitions) {
    return new TopicLayout(
        TopicNames.SAMPLES,
        TopicNames.MODEL_SPECS,
        TopicNames.MODELS,
        TopicNames.DEAD_LETTERS,
        TopicNames.MODEL_EVENTS,
        TopicNames.PREDICTION_REQUESTS,
        TopicNames.PREDICTIONS,
        partitions,
        Retention.defaults());
  }

  /** One topic to create: its name, partition count and configs. */
  public record Topic(String name, int partitions, Map<String, String> configs) {
    boolean compacted() {
      return TopicConfig.CLEANUP_POLICY_COMPACT.equals(
          configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    public NewTopic newTopic(short replication) {
      return new NewTopic(name, partitions, replication).configs(configs);
    }
  }

  public List<Topic> topics() {
    List<Topic> t = new ArrayList<>();
    t.add(new Topic(samples, partitions, log(retention.samples())));
    // one partition: specs are few, and one reader (the spec broadcast) sees them in order
    t.add(new Topic(specs, 1, compacted()));
    t.add(new Topic(models, partitions, compacted()));
    // each model's spec, partitioned as its versions: a reader finds both in the same task
    t.add(new Topic(TopicNames.publishedSpecs(models), partitions, compacted()));
    t.add(new Topic(deadLetters, 1, log(retention.deadLetters())));
    // drift events are few; one partition keeps every model's in the order they were published
    t.add(new Topic(modelEvents, 1, log(retention.modelEvents())));
    // the serving app joins requests with models: same partitioning (key = model id, same count)
    t.add(new Topic(predictionRequests, partitions, log(retention.predictionRequests())));
    t.add(new Topic(predictions, partitions, log(retention.predictions())));
    return t;
  }

  public List<NewTopic> newTopics(short replication) {
    return topics().stream().map(t -> t.newTopic(replication)).toList();
  }

  private static Map<String, String> compacted() {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
        Long.toString(MIN_COMPACTION_LAG.toMillis()));
  }

  /**
   * A log topic. Kafka applies retention to record timestamps, and samples carry their event time
   * as timestamp: a backfill of last year's data into a topic kept for 7 days is deleted at the
   * next retention check. A zero retention keeps records forever (retention.ms = -1).
   */
  private static Map<String, String> log(Duration retention) {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG,
        retention.isZero() || retention.isNegative() ? "-1" : Long.toString(retention.toMillis()));
  }
}
