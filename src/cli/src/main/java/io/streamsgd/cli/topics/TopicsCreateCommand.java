package io.streamsgd.cli.topics;

import io.streamsgd.cli.kafka.KafkaClientOptions;
import io.streamsgd.embedded.topics.TopicCreator;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.schema.TopicNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd topics create}: makes the eight topics with their configs against any cluster;
 * existing topics are kept and checked. Exit code 1 when an existing topic would break streamsgd.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    header = "Creates the topics (compacted where they must be) and checks existing ones.",
    description =
        "Creates whichever of the eight topics do not exist: samples, model-specs (compacted, 1 partition), "
            + "models (compacted), models-published-specs (compacted, as many partitions as models), dead-letters (1 partition), model-events (1 partition), prediction-requests (as many partitions as models) "
            + "and predictions. Existing topics are left alone and checked; the exit code is 1 if one would break "
            + "streamsgd (a models or specs topic that is not compacted, requests or published specs not partitioned like models).")
public final class TopicsCreateCommand implements Callable<Integer> {
  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--partitions",
      defaultValue = "12",
      description =
          "Partitions of samples, models, prediction-requests and predictions: the most trainer subtasks that read samples in parallel (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "3",
      description =
          "Replication factor of every topic (default: ${DEFAULT-VALUE}; 1 for a single-broker cluster).")
  short replication;

  @Option(
      names = "--samples-topic",
      defaultValue = TopicNames.SAMPLES,
      description = "(default: ${DEFAULT-VALUE})")
  String samples;

  @Option(
      names = "--specs-topic",
      defaultValue = TopicNames.MODEL_SPECS,
      description = "(default: ${DEFAULT-VALUE})")
  String specs;

  @Option(
      names = "--models-topic",
      defaultValue = TopicNames.MODELS,
      description = "(default: ${DEFAULT-VALUE})")
  String models;

  @Option(
      names = "--dead-letters-topic",
      defaultValue = TopicNames.DEAD_LETTERS,
      description = "(default: ${DEFAULT-VALUE})")
  String deadLetters;

  @Option(
      names = "--model-events-topic",
      defaultValue = TopicNames.MODEL_EVENTS,
      description = "(default: ${DEFAULT-VALUE})")
  String modelEvents;

  @Option(
      names = "--requests-topic",
      defaultValue = TopicNames.PREDICTION_REQUESTS,
      description = "(default: ${DEFAULT-VALUE})")
  String requests;

  @Option(
      names = "--predictions-topic",
      defaultValue = TopicNames.PREDICTIONS,
      description = "(default: ${DEFAULT-VALUE})")
  String predictions;

  @Option(
      names = "--samples-retention",
      defaultValue = "P7D",
      description =
          "retention.ms of samples, ISO-8601 (default: ${DEFAULT-VALUE}); P0D keeps them forever. Retention follows record timestamps, which are the samples' event times: raise it before backfilling old data.")
  Duration samplesRetention;

  @Option(
      names = "--dead-letters-retention",
      defaultValue = "P30D",
      description = "(default: ${DEFAULT-VALUE})")
  Duration deadLettersRetention;

  @Option(
      names = "--model-events-retention",
      defaultValue = "P30D",
      description = "(default: ${DEFAULT-VALUE})")
  Duration modelEventsRetention;

  @Option(
      names = "--requests-retention",
      defaultValue = "P1D",
      description = "(default: ${DEFAULT-VALUE})")
  Duration requestsRetention;

  @Option(
      names = "--predictions-retention",
      defaultValue = "P1D",
      description = "(default: ${DEFAULT-VALUE})")
  Duration predictionsRetention;

  @Spec CommandSpec spec;

  TopicLayout layout() {
    return new TopicLayout(
        samples,
        specs,
        models,
        deadLetters,
        modelEvents,
        requests,
        predictions,
        partitions,
        new TopicLayout.Retention(
            samplesRetention,
            deadLettersRetention,
            modelEventsRetention,
            requestsRetention,
            predictionsRetention));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<TopicCreator.Outcome> outcomes;
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      outcomes = new TopicCreator(admin).create(layout(), replication);
    }
    for (TopicCreator.Outcome o : outcomes) {
      String what =
          switch (o.status()) {
            case CREATED -> "created";
            case EXISTS -> "exists ";
            case MISMATCH -> "PROBLEM";
          };
      out.printf("%s  %-22s %3d partitions  %s%n", what, o.topic(), o.partitions(), o.detail());
    }
    return TopicCreator.allGood(outcomes) ? 0 : 1;
  }
}
