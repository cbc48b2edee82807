package io.streamsgd.cli.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.cli.kafka.KafkaClientOptions;
import io.streamsgd.cli.testing.CliRun;
import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.embedded.KafkaBrokerProcess;
import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.serving.ServingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/**
 * The whole product against a broker that demands TLS and SASL/SCRAM on its client listener: {@code
 * streamsgd topics create} and {@code produce}, the trainer submitted with {@code streamsgd submit}
 * to a real cluster of separate processes, the serving app and a {@link ModelSubscriber}, all with
 * their security settings from one client properties file. Then no password appears in any log:
 * this JVM's (at INFO), the CLI's output, the broker's and the Flink processes'.
 */
class SecureKafkaITCase {
  static final String USER = "streamsgd";

  @Test
  void everyComponentConnectsOverSaslSslAndNoPasswordIsLogged() throws Exception {
    Path dir = CliRun.workDir("secure-kafka");
    String scramPassword = "scram-" + UUID.randomUUID();
    String storePassword = "store-" + UUID.randomUUID();
    TlsMaterial tls = TlsMaterial.create(dir, storePassword);

    Map<String, String> listener = new HashMap<>();
    listener.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    listener.put(
        "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    listener.put("ssl.keystore.type", "PKCS12");
    listener.put("ssl.keystore.location", tls.keyStore().toString());
    listener.put("ssl.keystore.password", storePassword);
    listener.put("ssl.key.password", storePassword);
    KafkaBrokerProcess.SecureListener secure =
        new KafkaBrokerProcess.SecureListener("SASL_SSL", listener);

    List<String> cliOutput = new ArrayList<>();
    try (LogCapture logs = new LogCapture();
        KafkaBrokerProcess kafka =
            KafkaBrokerProcess.start(
                dir.resolve("kafka"), Map.of(), Duration.ofMinutes(1), secure)) {
      // The operator creates the user over the broker's internal listener.
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        scramPassword)))
            .all()
            .get();
      }
      String bootstrap = kafka.secureBootstrapServers();
      Path clientConfig = dir.resolve("client.properties");
      Files.writeString(
          clientConfig,
          String.join(
              "\n",
              "security.protocol=SASL_SSL",
              "sasl.mechanism=SCRAM-SHA-512",
              "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                  + USER
                  + "\" password=\""
                  + scramPassword
                  + "\";",
              "ssl.truststore.type=PKCS12",
              "ssl.truststore.location=" + tls.trustStore(),
              "ssl.truststore.password=" + storePassword,
              ""));
      Map<String, Object> client = new HashMap<>(KafkaClientOptions.read(clientConfig));
      client.put("bootstrap.servers", bootstrap);

      // The listener really checks: a wrong password is refused.
      Map<String, Object> wrong = new HashMap<>(client);
      wrong.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + USER
              + "\" password=\"nope\";");
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.listTopics().names().get())
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }

      cliOutput.add(
          CliRun.streamsgd(
              "topics",
              "create",
              "--bootstrap-servers",
              bootstrap,
              "--kafka-config",
              clientConfig.toString(),
              "--partitions",
              "2",
              "--replication-factor",
              "1"));
      cliOutput.add(
          CliRun.streamsgd(
              "produce",
              "--bootstrap-servers",
              bootstrap,
              "--kafka-config",
              clientConfig.toString(),
              "--samples",
              "3000"));

      try (StandaloneFlinkCluster flink =
          StandaloneFlinkCluster.start(dir.resolve("flink"), 1, Map.of())) {
        cliOutput.add(
            CliRun.streamsgd(
                "submit",
                "--rest",
                flink.restUrl(),
                "--jar",
                System.getProperty("streamsgd.job.jar"),
                "--bootstrap-servers",
                bootstrap,
                "--kafka-config",
                clientConfig.toString(),
                "--parallelism",
                "1",
                "--",
                "--streamsgd.checkpoint.interval",
                "1s"));
        assertThat(cliOutput.get(2))
            .contains("is RUNNING")
            .contains("sasl.jaas.config ****")
            .doesNotContain(scramPassword);

        ServingSettings serving =
            ServingSettings.defaults(bootstrap, dir.resolve("streams"))
                .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
                .withHttp("127.0.0.1", 0)
                .withKafkaProperties(KafkaClientOptions.read(clientConfig));
        try (ModelSubscriber subscriber = new ModelSubscriber(client, "models");
            ModelServingApp app = new ModelServingApp(serving).start(Duration.ofSeconds(90))) {
          long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
          while (System.nanoTime() < deadline
              && Stream.of("linear-fast", "linear-slow", "logistic")
                  .anyMatch(
                      id -> app.latest(id).map(u -> u.getSamplesSeen() < 3000).orElse(true))) {
            Thread.sleep(200);
          }
          for (String id : List.of("linear-fast", "linear-slow", "logistic")) {
            assertThat(app.latest(id))
                .as("served %s", id)
                .hasValueSatisfying(u -> assertThat(u.getSamplesSeen()).isEqualTo(3000));
          }
          assertThat(subscriber.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
          long version = subscriber.latest("linear-fast").orElseThrow().getVersion();
          assertThat(
                  app.predict("linear-fast", FeatureVector.dense(new double[] {0.5}))
                      .orElseThrow()
                      .version())
              .isEqualTo(version);
        }
      }

      // Kafka printed the client configs (so the scan below saw them), with secrets hidden.
      String ours = logs.text();
      assertThat(
              ours.contains("sasl.jaas.config = [hidden]")
                  && ours.contains("ssl.truststore.password = [hidden]"))
          .as("the captured log holds Kafka's client config dumps")
          .isTrue();
      Map<String, String> texts = new java.util.LinkedHashMap<>();
      for (int i = 0; i < cliOutput.size(); i++) {
        texts.put("streamsgd command " + (i + 1), cliOutput.get(i));
      }
      texts.put("this JVM's log", ours);
      texts.put(kafka.log().toString(), Files.readString(kafka.log()));
      try (Stream<Path> files = Files.walk(dir.resolve("flink"))) {
        for (Path f :
            files
                .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".out"))
                .toList()) {
          texts.put(f.toString(), Files.readString(f));
        }
      }
      assertThat(texts.keySet())
          .anyMatch(k -> k.endsWith("jobmanager.log"))
          .anyMatch(k -> k.endsWith("taskmanager-1.log"));
      List<String> leaks = new ArrayList<>();
      texts.forEach(
          (source, text) ->
              text.lines()
                  .filter(line -> line.contains(scramPassword) || line.contains(storePassword))
                  .forEach(line -> leaks.add(source + ": " + line)));
      assertThat(leaks).as("log lines holding a password").isEmpty();
    }
  }
}
