package io.streamsgd.cli.serve;

import io.streamsgd.cli.kafka.KafkaClientOptions;
import io.streamsgd.schema.TopicNames;
import io.streamsgd.schema.registry.RegistryConfig;
import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.PredictionFraming;
import io.streamsgd.serving.ServingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamsgd serve}: the Kafka Streams serving app with its HTTP API, until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serving app: latest model per id, HTTP API and prediction-requests topic.",
    description =
        "Runs the serving app: keeps the latest model per id from the models topic, answers the "
            + "prediction-requests topic, and serves GET /models, GET /models/{id}, POST "
            + "/models/{id}/predict, Prometheus metrics at GET /metrics and a live dashboard at GET "
            + "/dashboard. Start several with the same --application-id to share the models; "
            + "any of them answers for all. Reads records in Avro single-object encoding and, "
            + "with a schema registry, in the Confluent wire format.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--application-id",
      defaultValue = "streamsgd-serving",
      description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--models-topic",
      defaultValue = TopicNames.MODELS,
      description = "(default: ${DEFAULT-VALUE})")
  String modelsTopic;

  @Option(
      names = "--requests-topic",
      defaultValue = TopicNames.PREDICTION_REQUESTS,
      description =
          "Topic of PredictionRequest records (default: ${DEFAULT-VALUE}); '' serves over HTTP only.")
  String requestsTopic;

  @Option(
      names = "--predictions-topic",
      defaultValue = TopicNames.PREDICTIONS,
      description = "(default: ${DEFAULT-VALUE})")
  String predictionsTopic;

  @Option(
      names = "--http-host",
      defaultValue = "127.0.0.1",
      description =
          "Host name or address the other instances reach this one at (default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(
      names = "--http-bind",
      description =
          "Address the HTTP API binds to (default: the --http-host; 0.0.0.0 in a container).")
  String httpBind;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int httpPort;

  @Option(
      names = "--state-dir",
      description =
          "Kafka Streams state directory (default: a directory under the system temp dir).")
  Path stateDir;

  @Option(
      names = "--store",
      defaultValue = "ROCKSDB",
      description = "ROCKSDB or IN_MEMORY (default: ${DEFAULT-VALUE}).")
  LatestModelTopology.StoreType store;

  @Option(
      names = "--registry-url",
      paramLabel = "URL",
      description =
          "Schema registry's Confluent-compatible API, to read models and requests in the Confluent"
              + " framing and to write predictions in it (schema.registry.url in --kafka-config"
              + " does the same; this wins). Its credentials and TLS stores go in --kafka-config"
              + " under Confluent's names: basic.auth.user.info, schema.registry.ssl.*.")
  String registryUrl;

  @Option(
      names = "--framing",
      defaultValue = "SINGLE_OBJECT",
      description =
          "Framing of the predictions written: SINGLE_OBJECT or CONFLUENT (needs a registry; the"
              + " schema is registered under <predictions topic>-value) (default:"
              + " ${DEFAULT-VALUE}). Models and requests are read in either.")
  PredictionFraming framing;

  /** The app's settings; the registry's, if any, among its Kafka properties. */
  ServingSettings settings(Path dir) throws IOException {
    Map<String, String> properties = new HashMap<>(kafka.fileProperties());
    if (registryUrl != null) {
      properties.put(RegistryConfig.URL, registryUrl);
    }
    return new ServingSettings(
        kafka.bootstrapServers(),
        applicationId,
        modelsTopic,
        requestsTopic,
        predictionsTopic,
        dir,
        store,
        httpHost,
        httpBind,
        httpPort,
        properties,
        framing);
  }

  @Override
  public Integer call() throws Exception {
    Path dir = stateDir != null ? stateDir : Files.createTempDirectory("streamsgd-serving-");
    ModelServingApp app = new ModelServingApp(settings(dir));
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM exits once shutdown hooks return, so the hook itself closes the app: Kafka Streams
    // then leaves its group at once and the other instances take over the partitions.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  closed.countDown();
                },
                "serve-shutdown"));
    app.start(Duration.ofMinutes(5));
    System.out.printf(
        "serving models from '%s' at http://%s:%d/models (Ctrl-C stops)%n",
        modelsTopic, httpHost, app.httpPort());
    closed.await();
    return 0;
  }
}
