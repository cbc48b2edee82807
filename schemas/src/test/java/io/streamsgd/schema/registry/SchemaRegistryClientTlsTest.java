package io.streamsgd.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS and basic auth, against an HTTPS endpoint with a self-signed certificate made by
 * the JDK's keytool for this test, answering the one call the test makes: the schema registry used
 * by the integration tests serves neither TLS nor basic auth.
 */
class SchemaRegistryClientTlsTest {
  static final String USER_INFO = "reader:s3cret";
  static final String STORE_PASSWORD = "changeit";

  @TempDir static Path dir;
  static HttpsServer server;
  static String url;
  static Path trustStore;

  @BeforeAll
  static void startHttpsEndpoint() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.pem");
    trustStore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "registry",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "registry",
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keyStore.toFile())) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    String expected =
        "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
    server.createContext(
        "/schemas/ids/1",
        exchange -> {
          boolean allowed = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              (allowed
                      ? "{\"schema\":\"\\\"string\\\"\"}"
                      : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  RegistryConfig config(String userInfo, boolean trusted) {
    return new RegistryConfig(
        url,
        userInfo,
        trusted ? new RegistryConfig.Store(trustStore.toString(), STORE_PASSWORD, "PKCS12") : null,
        null,
        null);
  }

  @Test
  void trustsTheConfiguredStoreAndSendsBasicAuth() throws Exception {
    assertThat(new SchemaRegistryClient(config(USER_INFO, true)).schemaById(1))
        .contains(Schema.create(Schema.Type.STRING));
  }

  @Test
  void refusedCredentialsFailAtOnceSayingSo() {
    assertThatThrownBy(() -> new SchemaRegistryClient(config("reader:wrong", true)).schemaById(1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("wrong");
  }

  @Test
  void anUntrustedCertificateIsAConfigurationErrorNotAnOutage() {
    // The JDK's default trust store does not know the self-signed certificate: no retry mends it.
    assertThatThrownBy(() -> new SchemaRegistryClient(config(USER_INFO, false)).schemaById(1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("TLS to " + url)
        .hasMessageContaining("trust store");
  }

  static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }
}
