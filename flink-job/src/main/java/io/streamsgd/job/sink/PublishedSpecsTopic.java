package io.streamsgd.job.sink;

import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SpecPublication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The models topic's published-specs topic, checked before the trainer starts. Each spec is written
 * there once, so the topic must exist with compaction (a deleting topic would expire specs that
 * versions still name, and a topic auto-created by the producer gets the broker's defaults), and
 * with as many partitions as the models topic (the serving app reads a model's spec beside its
 * versions).
 */
public final class PublishedSpecsTopic {
  private PublishedSpecsTopic() {}

  /**
   * @throws IllegalStateException naming what is wrong and how to fix it, when the job publishes
   *     specs and the topic cannot take them
   */
  public static void check(JobSettings s) throws InterruptedException {
    if (s.sinkSpecPublication != SpecPublication.ON_CHANGE) {
      return;
    }
    try (Admin admin = Admin.create(s.kafkaClientProperties())) {
      List<String> problems = problems(admin, s.modelsTopic, s.publishedSpecsTopic);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "the trainer cannot publish specs: "
                + String.join("; ", problems)
                + ". `streamsgd topics create` makes and checks the topics; or set "
                + JobOptions.SINK_SPEC_PUBLICATION.key()
                + " EVERY_UPDATE to keep the spec in every version");
      }
    }
  }

  /** Whether the job's published-specs topic exists. */
  public static boolean exists(JobSettings s) throws InterruptedException {
    try (Admin admin = Admin.create(s.kafkaClientProperties())) {
      return describe(admin, s.publishedSpecsTopic) != null;
    }
  }

  static List<String> problems(Admin admin, String models, String specs)
      throws InterruptedException {
    List<String> out = new ArrayList<>();
    TopicDescription spec = describe(admin, specs);
    if (spec == null) {
      out.add("topic '" + specs + "' does not exist");
      return out;
    }
    String policy = cleanupPolicy(admin, specs);
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      out.add(
          "topic '"
              + specs
              + "' has cleanup.policy="
              + policy
              + ": it needs compact, or specs that versions still name expire");
    }
    TopicDescription model = describe(admin, models);
    if (model != null && model.partitions().size() != spec.partitions().size()) {
      out.add(
          "topic '"
              + specs
              + "' has "
              + spec.partitions().size()
              + " partitions and '"
              + models
              + "' "
              + model.partitions().size()
              + ": they need the same number");
    }
    return out;
  }

  private static TopicDescription describe(Admin admin, String topic) throws InterruptedException {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
    }
  }

  private static String cleanupPolicy(Admin admin, String topic) throws InterruptedException {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(r)).all().get();
      var entry = configs.get(r).get(TopicConfig.CLEANUP_POLICY_CONFIG);
      return entry == null ? TopicConfig.CLEANUP_POLICY_DELETE : entry.value();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the configs of topic " + topic, e.getCause());
    }
  }
}
