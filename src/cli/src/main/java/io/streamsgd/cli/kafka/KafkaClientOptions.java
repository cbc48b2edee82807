package io.streamsgd.cli.kafka;

import io.streamsgd.serving.RegistryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Kafka shares: the bootstrap servers and a client
 * properties file whose entries pass to every Kafka client untouched (security.protocol, sasl.*,
 * ssl.*, config.providers, ...), so TLS and SASL work as Kafka documents them. The file may also
 * hold a schema registry's settings under the names Confluent's clients give them ({@code
 * schema.registry.url}, {@code basic.auth.user.info}, {@code schema.registry.ssl.*}): the commands
 * that use a registry read them there, and no Kafka client is given them.
 */
public final class KafkaClientOptions {
  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka bootstrap servers (host:port,...).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties file (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*,"
              + " ...); schema registry settings may go in it too, under Confluent's names"
              + " (schema.registry.url, basic.auth.user.info, schema.registry.ssl.*).")
  Path kafkaConfig;

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The file's properties only (no bootstrap servers), a registry's settings included. */
  public Map<String, String> fileProperties() throws IOException {
    return read(kafkaConfig);
  }

  /** Kafka client properties: the file's but a registry's, then the bootstrap servers. */
  public Map<String, Object> clientProperties() throws IOException {
    Map<String, Object> props = new HashMap<>(RegistryProperties.withoutRegistry(fileProperties()));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** Reads a properties file; every key passes to Kafka as is. An absent file gives nothing. */
  public static Map<String, String> read(Path file) throws IOException {
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
