package io.streamsgd.cli.submit;

import io.streamsgd.job.config.JobOptions;
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

  /** Kafka client settings, passed to the job's Kafka clients untouched. */
  void putKafkaProperties(Map<String, String> kafka) {
    kafka.forEach((k, v) -> options.put(JobOptions.KAFKA_PROPERTIES_PREFIX + k, v));
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
    return SECRET.matcher(key).matches();
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
