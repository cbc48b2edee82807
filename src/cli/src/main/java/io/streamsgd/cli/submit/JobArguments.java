package io.streamsgd.cli.submit;

import io.streamsgd.job.config.JobOptions;
import io.streamsgd.schema.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The trainer job's program arguments ({@code --key value} pairs), built from the submit command's
 * options, and shown with secrets masked.
 */
final class JobArguments {
  /** Keys whose values are secrets: Kafka's password-typed settings and their relatives. */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|jaas|secret|token|credential|apikey|api\\.key).*");

  private final Map<String, String> options = new TreeMap<>();

  void put(String key, String value) {
    options.put(key, value);
  }

  void putAll(Map<String, String> entries) {
    options.putAll(entries);
  }

  /**
   * The job's registry options for a schema registry's settings under Confluent's names: one
   * properties file configures the serving app and the job alike.
   */
  private static final Map<String, String> REGISTRY_OPTIONS =
      Map.of(
          RegistryConfig.URL, JobOptions.REGISTRY_URL.key(),
          RegistryConfig.USER_INFO, JobOptions.REGISTRY_USER_INFO.key(),
          RegistryConfig.USER_INFO_ALIAS, JobOptions.REGISTRY_USER_INFO.key(),
          RegistryConfig.TRUSTSTORE_LOCATION, JobOptions.REGISTRY_TRUSTSTORE_LOCATION.key(),
          RegistryConfig.TRUSTSTORE_PASSWORD, JobOptions.REGISTRY_TRUSTSTORE_PASSWORD.key(),
          RegistryConfig.TRUSTSTORE_TYPE, JobOptions.REGISTRY_TRUSTSTORE_TYPE.key(),
          RegistryConfig.KEYSTORE_LOCATION, JobOptions.REGISTRY_KEYSTORE_LOCATION.key(),
          RegistryConfig.KEYSTORE_PASSWORD, JobOptions.REGISTRY_KEYSTORE_PASSWORD.key(),
          RegistryConfig.KEYSTORE_TYPE, JobOptions.REGISTRY_KEYSTORE_TYPE.key());

  /**
   * Kafka client settings, passed to the job's Kafka clients untouched; a schema registry's
   * settings among them (Confluent's names) become the job's registry options instead, and other
   * registry settings, which the job has no use for, are left out.
   */
  void putKafkaProperties(Map<String, String> kafka) {
    kafka.forEach(
        (k, v) -> {
          if (!RegistryConfig.isRegistryProperty(k)) {
            options.put(JobOptions.KAFKA_PROPERTIES_PREFIX + k, v);
          } else if (REGISTRY_OPTIONS.containsKey(k)) {
            options.put(REGISTRY_OPTIONS.get(k), v);
          }
        });
  }

  /**
   * Reads {@code --key value} pairs given after the command's own options; a key without a value is
   * an error, as the job would refuse it.
   */
  void putArgs(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String key = args.get(i);
      if (!key.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException(
            "job arguments are --key value pairs; got '" + key + "'");
      }
      options.put(key.substring(2), args.get(++i));
    }
  }

  Map<String, String> options() {
    return Map.copyOf(options);
  }

  List<String> toArgs() {
    List<String> args = new ArrayList<>();
    options.forEach(
        (k, v) -> {
          args.add("--" + k);
          args.add(v);
        });
    return args;
  }

  static boolean isSecret(String key) {
    return SECRET.matcher(key).matches()
        || JobOptions.SECRET_OPTIONS.stream().anyMatch(o -> o.key().equals(key));
  }

  /** The arguments as they may be printed: secret values replaced. */
  String masked() {
    StringBuilder b = new StringBuilder();
    options.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : " ")
                .append("--")
                .append(k)
                .append(' ')
                .append(isSecret(k) ? "****" : v));
    return b.toString();
  }
}
