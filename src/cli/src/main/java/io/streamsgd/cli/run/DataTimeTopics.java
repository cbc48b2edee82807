package io.streamsgd.cli.run;

import io.streamsgd.embedded.topics.TopicLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The run's topics, set to take samples stamped with their data's own event times: kept whatever
 * their age (retention applies to record timestamps, so last year's data in a topic kept for 7 days
 * would be deleted at the broker's next check) and accepted however far ahead of now (the broker
 * refuses timestamps more than an hour ahead by default).
 */
final class DataTimeTopics {
  private DataTimeTopics() {}

  /**
   * The default topics, the samples and dead letters kept forever (the run's broker is its own).
   */
  static TopicLayout layout(int partitions) {
    TopicLayout d = TopicLayout.defaults(partitions);
    return new TopicLayout(
        d.samples(),
        d.specs(),
        d.models(),
        d.deadLetters(),
        d.modelEvents(),
        d.predictionRequests(),
        d.predictions(),
        partitions,
        new TopicLayout.Retention(
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            d.retention().predictionRequests(),
            d.retention().predictions()));
  }

  /** Lets the samples topic take any record timestamp, however far in the future. */
  static void acceptAnyTimestamp(String bootstrapServers, String samplesTopic)
      throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, samplesTopic);
      AlterConfigOp anyTime =
          new AlterConfigOp(
              new ConfigEntry(
                  TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE)),
              AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(topic, List.of(anyTime))).all().get();
    }
  }
}
