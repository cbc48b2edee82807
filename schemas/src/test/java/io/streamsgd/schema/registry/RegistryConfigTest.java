package io.streamsgd.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
  @Test
  void readsConfluentClientPropertyNamesAndNeverShowsSecrets() {
    RegistryConfig c =
        RegistryConfig.fromProperties(
            Map.of(
                "schema.registry.url", "https://registry.example:8081/",
                "basic.auth.user.info", "api-key:api-secret",
                "schema.registry.ssl.truststore.location", "/etc/ca.p12",
                "schema.registry.ssl.truststore.password", "trust-secret",
                "bootstrap.servers", "broker:9092"));
    assertThat(c.url()).isEqualTo("https://registry.example:8081");
    assertThat(c.userInfo()).isEqualTo("api-key:api-secret");
    assertThat(c.trustStore().location()).isEqualTo("/etc/ca.p12");
    assertThat(c.trustStore().type()).isEqualTo("PKCS12");
    assertThat(c.keyStore()).isNull();
    assertThat(c.toString())
        .contains("https://registry.example:8081", "basic auth set", "password set")
        .doesNotContain("api-key", "api-secret", "trust-secret");
  }

  @Test
  void readsTheUserInfoUnderTheNameConvertersUseToo() {
    RegistryConfig c =
        RegistryConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://registry:8081",
                "schema.registry.basic.auth.user.info", "user:pw"));
    assertThat(c.userInfo()).isEqualTo("user:pw");
  }

  @Test
  void noUrlNoRegistry() {
    assertThat(RegistryConfig.fromProperties(Map.of("bootstrap.servers", "b:9092"))).isNull();
  }

  @Test
  void tellsRegistrySettingsFromKafkaOnes() {
    assertThat(RegistryConfig.isRegistryProperty("schema.registry.url")).isTrue();
    assertThat(RegistryConfig.isRegistryProperty("basic.auth.user.info")).isTrue();
    assertThat(RegistryConfig.isRegistryProperty("schema.registry.ssl.keystore.type")).isTrue();
    assertThat(RegistryConfig.isRegistryProperty("ssl.truststore.location")).isFalse();
    assertThat(RegistryConfig.isRegistryProperty("sasl.jaas.config")).isFalse();
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> RegistryConfig.of("registry:8081"))
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> new RegistryConfig("http://r", "no-colon", null, null, null))
        .hasMessageContaining("user:password");
  }
}
