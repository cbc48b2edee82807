package io.streamsgd.serving;

import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Schema registry settings given among Kafka client properties, under the names Confluent's clients
 * use ({@code schema.registry.url}, {@code basic.auth.user.info}, {@code schema.registry.ssl.*},
 * see {@link RegistryConfig}), so that one properties map configures a reader of either framing.
 * The Kafka clients get the map without them: they are no Kafka settings.
 */
public final class RegistryProperties {
  private RegistryProperties() {}

  /** The registry {@code properties} name, or null when they set no {@code schema.registry.url}. */
  public static CachedRegistry registry(Map<String, ?> properties) {
    RegistryConfig config = RegistryConfig.fromProperties(properties);
    return config == null ? null : CachedRegistry.shared(config);
  }

  /** {@code properties} without the registry's entries: what a Kafka client is given. */
  public static <V> Map<String, V> withoutRegistry(Map<String, V> properties) {
    Map<String, V> out = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (!RegistryConfig.isRegistryProperty(key)) {
            out.put(key, value);
          }
        });
    return out;
  }
}
