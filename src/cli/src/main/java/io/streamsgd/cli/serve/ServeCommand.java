package io.streamsgd.cli.serve;

import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.ServingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsgd serve}: the Kafka Streams serving app with its HTTP API, until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serving app: latest model per id, HTTP API and prediction-requests topic.",
    description =
        "Runs the serving app: keeps the latest model per id from the models topic, answers the " +
        "prediction-requests topic, and serves GET /models, GET /models/{id}, POST " +
        "/models/{id}/predict. Start several with the same --application-id to share the models; " +
        "any of them answers for all.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--kafka-config", description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...).")
  Path kafkaConfig;

  @Option(names = "--application-id", defaultValue = "streamsgd-serving", description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--models-topic", defaultValue = "models", description = "(default: ${DEFAULT-VALUE})")
  String modelsTopic;

  @Option(names = "--requests-topic", defaultValue = "prediction-requests", description = "(default: ${DEFAULT-VALUE})")
  String requestsTopic;

  @Option(names = "--predictions-topic", defaultValue = "predictions", description = "(default: ${DEFAULT-VALUE})")
  String predictionsTopic;

  @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "Address to bind, which the other instances reach it at (default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int httpPort;

  @Option(names = "--state-dir", description = "Kafka Streams state directory (default: a directory under the system temp dir).")
  Path stateDir;

  @Option(names = "--store", defaultValue = "ROCKSDB", description = "ROCKSDB or IN_MEMORY (default: ${DEFAULT-VALUE}).")
  LatestModelTopology.StoreType store;

  @Override
  public Integer call() throws Exception {
    Path dir = stateDir != null ? stateDir : Files.createTempDirectory("streamsgd-serving-");
    ServingSettings settings =
        new ServingSettings(
            bootstrapServers, applicationId, modelsTopic, requestsTopic, predictionsTopic, dir, store, httpHost, httpPort,
            kafkaProperties(kafkaConfig));
    ModelServingApp app = new ModelServingApp(settings);
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
    System.out.printf("serving models from '%s' at http://%s:%d/models (Ctrl-C stops)%n", modelsTopic, httpHost, app.httpPort());
    closed.await();
    return 0;
  }

  /** Client properties from a file: every key passes to Kafka as is. */
  public static Map<String, String> kafkaProperties(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      p.forEach((k, v) -> out.put(k.toString(), v.toString()));
    }
    return out;
  }
}
