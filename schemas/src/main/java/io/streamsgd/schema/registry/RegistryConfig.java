package io.streamsgd.schema.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where a schema registry's Confluent-compatible REST API is, and how to reach it: basic auth and
 * TLS key and trust stores. Holds secrets: {@link #toString} shows only the URL and which settings
 * are set. Serializable, so a Flink function can carry it to its tasks.
 *
 * @param url the API's base, e.g. {@code https://registry:8081} or, for Apicurio, {@code
 *     http://host:8080/apis/ccompat/v7}
 * @param userInfo {@code user:password} for HTTP basic auth, or null
 * @param trustStore the store that holds the registry's CA (TLS), or null for the JVM's default
 * @param keyStore this client's key for mutual TLS, or null
 * @param requestTimeout the longest one HTTP request may take before it counts as a failure
 */
public record RegistryConfig(
    String url, String userInfo, Store trustStore, Store keyStore, Duration requestTimeout)
    implements Serializable {

  /** The names Confluent's clients use for the same settings, read by {@link #fromProperties}. */
  public static final String URL = "schema.registry.url";

  public static final String USER_INFO = "basic.auth.user.info";

  /** The same, as Kafka Connect converters and some other clients spell it. */
  public static final String USER_INFO_ALIAS = "schema.registry.basic.auth.user.info";

  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A key or trust store file: its path, password (may be null) and type (JKS, PKCS12). */
  public record Store(String location, String password, String type) implements Serializable {
    public Store {
      Objects.requireNonNull(location, "location");
      type = type == null || type.isBlank() ? "PKCS12" : type;
    }

    @Override
    public String toString() {
      return type + " store " + location + (password != null ? " (password set)" : "");
    }
  }

  public RegistryConfig {
    Objects.requireNonNull(url, "url");
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI parsed = URI.create(url);
    if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
      throw new IllegalArgumentException(
          "schema registry URL must start with http:// or https://, got '" + url + "'");
    }
    if (userInfo != null && !userInfo.contains(":")) {
      throw new IllegalArgumentException("basic auth user info must be user:password");
    }
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
  }

  /** A registry reached over plain HTTP without credentials. */
  public static RegistryConfig of(String url) {
    return new RegistryConfig(url, null, null, null, null);
  }

  /**
   * From client properties named as Confluent's clients name them ({@link #URL}, {@link #USER_INFO}
   * or {@link #USER_INFO_ALIAS}, {@code schema.registry.ssl.*}); null when they set no {@link
   * #URL}.
   */
  public static RegistryConfig fromProperties(Map<String, ?> properties) {
    String url = text(properties, URL);
    if (url == null) {
      return null;
    }
    return new RegistryConfig(
        url,
        text(properties, USER_INFO) != null
            ? text(properties, USER_INFO)
            : text(properties, USER_INFO_ALIAS),
        store(properties, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE),
        store(properties, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE),
        null);
  }

  /** Whether {@code key} is one of the registry's settings, not a Kafka client's. */
  public static boolean isRegistryProperty(String key) {
    return key.equals(URL) || key.equals(USER_INFO) || key.startsWith("schema.registry.");
  }

  private static Store store(
      Map<String, ?> properties, String location, String password, String type) {
    String path = text(properties, location);
    return path == null
        ? null
        : new Store(path, text(properties, password), text(properties, type));
  }

  private static String text(Map<String, ?> properties, String key) {
    Object value = properties.get(key);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  /** The URL and which settings are set; never a password or user info. */
  @Override
  public String toString() {
    return "registry "
        + url
        + (userInfo != null ? " (basic auth set)" : "")
        + (trustStore != null ? ", trust " + trustStore : "")
        + (keyStore != null ? ", key " + keyStore : "");
  }
}
