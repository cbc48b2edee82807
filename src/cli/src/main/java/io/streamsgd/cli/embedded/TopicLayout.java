package io.streamsgd.cli.embedded;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics streamsgd uses, with the settings each needs: models and specs are compacted
 * (the latest record per model id is the current one), samples, dead letters, prediction
 * requests and predictions are logs; requests have as many partitions as models.
 */
public record TopicLayout(
    String samples, String specs, String models, String deadLetters, String predictionRequests, String predictions, int partitions) {

  public static TopicLayout defaults(int partitions) {
    return new TopicLayout("samples", "model-specs", "models", "dead-letters", "prediction-requests", "predictions", partitions);
  }

  public List<NewTopic> newTopics(short replication) {
    Map<String, String> compacted = Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000");
    return List.of(
        new NewTopic(samples, partitions, replication),
        new NewTopic(specs, 1, replication).configs(compacted),
        new NewTopic(models, partitions, replication).configs(compacted),
        new NewTopic(deadLetters, 1, replication),
        // the serving app joins requests with models: same partitioning (key = model id, same count)
        new NewTopic(predictionRequests, partitions, replication),
        new NewTopic(predictions, partitions, replication));
  }

  /** Creates whichever of the topics do not exist yet. */
  public void create(Admin admin, short replication) throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> missing =
        newTopics(replication).stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get();
    }
  }
}
