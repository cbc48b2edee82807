package io.streamsgd.embedded.topics;

import io.streamsgd.schema.TopicNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a {@link TopicLayout}'s topics and checks the ones that already exist. An existing topic
 * is left as it is; a setting streamsgd depends on (compaction of the model and spec topics, the
 * requests topic partitioned like the models topic) that differs is reported as a problem, because
 * it would break serving or lose models later, not now.
 */
public final class TopicCreator {
  /** What happened to one topic. */
  public record Outcome(String topic, Status status, int partitions, String detail) {}

  public enum Status {
    CREATED,
    EXISTS,
    MISMATCH
  }

  private final Admin admin;

  public TopicCreator(Admin admin) {
    this.admin = admin;
  }

  public List<Outcome> create(TopicLayout layout, short replication)
      throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    List<Outcome> outcomes = new ArrayList<>();
    for (TopicLayout.Topic t : layout.topics()) {
      if (!existing.contains(t.name())) {
        try {
          admin.createTopics(List.of(t.newTopic(replication))).all().get();
          outcomes.add(
              new Outcome(t.name(), Status.CREATED, t.partitions(), describe(t.configs())));
          continue;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          // created by someone else meanwhile: check it like any existing topic
        }
      }
      outcomes.add(check(t));
    }
    awaitDescribable(layout);
    return checkCoPartitioning(layout, outcomes);
  }

  /**
   * Returns once every topic can be described: a topic is created before its metadata reaches the
   * broker that answers the next request, and the next command (or test) must find it.
   */
  private void awaitDescribable(TopicLayout layout)
      throws ExecutionException, InterruptedException {
    List<String> names = layout.topics().stream().map(TopicLayout.Topic::name).toList();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        admin.describeTopics(names).allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause()
                instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private Outcome check(TopicLayout.Topic wanted) throws ExecutionException, InterruptedException {
    TopicDescription d =
        admin.describeTopics(List.of(wanted.name())).allTopicNames().get().get(wanted.name());
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, wanted.name());
    Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
    ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    boolean compacted =
        policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    int partitions = d.partitions().size();
    if (wanted.compacted() && !compacted) {
      return new Outcome(
          wanted.name(),
          Status.MISMATCH,
          partitions,
          "cleanup.policy is '"
              + (policy == null ? "" : policy.value())
              + "', must include 'compact' (the latest record per model id is the current one)");
    }
    return new Outcome(
        wanted.name(),
        Status.EXISTS,
        partitions,
        "cleanup.policy=" + (policy == null ? "?" : policy.value()));
  }

  /**
   * The serving app reads requests and published specs beside models, per partition: each must be
   * partitioned like models.
   */
  private static List<Outcome> checkCoPartitioning(TopicLayout layout, List<Outcome> outcomes) {
    Map<String, Outcome> byTopic =
        outcomes.stream().collect(Collectors.toMap(Outcome::topic, o -> o));
    Outcome models = byTopic.get(layout.models());
    List<String> beside =
        List.of(layout.predictionRequests(), TopicNames.publishedSpecs(layout.models()));
    return outcomes.stream()
        .map(
            o ->
                beside.contains(o.topic()) && o.partitions() != models.partitions()
                    ? new Outcome(
                        o.topic(),
                        Status.MISMATCH,
                        o.partitions(),
                        "has "
                            + o.partitions()
                            + " partitions, '"
                            + layout.models()
                            + "' has "
                            + models.partitions()
                            + ": the serving app reads them beside models by model id and needs"
                            + " the same count")
                    : o)
        .toList();
  }

  private static String describe(Map<String, String> configs) {
    return configs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** True when none of the outcomes is a problem. */
  public static boolean allGood(Collection<Outcome> outcomes) {
    return outcomes.stream().noneMatch(o -> o.status() == Status.MISMATCH);
  }
}
