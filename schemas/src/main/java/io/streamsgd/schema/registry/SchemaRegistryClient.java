package io.streamsgd.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * The two calls of a schema registry's Confluent-compatible REST API that Avro framing needs: a
 * writer schema by id, and registering a schema under a subject. One attempt per call: {@link
 * RegistryUnavailableException} when trying again may help, {@link RegistryException} when it
 * cannot. Thread-safe; one HTTP client per instance.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** The Confluent API's error code for a schema id it does not have. */
  static final int SCHEMA_NOT_FOUND = 40403;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final String authorization;

  public SchemaRegistryClient(RegistryConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.trustStore() != null || config.keyStore() != null) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
    this.authorization =
        config.userInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(config.userInfo().getBytes(StandardCharsets.UTF_8));
  }

  public RegistryConfig config() {
    return config;
  }

  /** The schema registered under {@code id}; empty when the registry has no such id. */
  public Optional<Schema> schemaById(int id) throws RegistryUnavailableException {
    HttpResponse<String> response = send(request("/schemas/ids/" + id).GET().build());
    if (response.statusCode() == 404 && errorCode(response) != 0) {
      // A 404 with the API's error body: the id is not there. A bare 404 is a wrong URL.
      return Optional.empty();
    }
    JsonNode body = expectOk(response, "schema id " + id);
    return Optional.of(new Schema.Parser().parse(body.path("schema").asText()));
  }

  /**
   * Registers {@code schema} under {@code subject} (or finds it registered there) and returns its
   * id. The registry refuses a schema incompatible with the subject's earlier versions.
   */
  public int register(String subject, Schema schema) throws RegistryUnavailableException {
    String body;
    try {
      body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
    HttpResponse<String> response = send(post(path + "/versions", body));
    if (response.statusCode() == 409) {
      // Confluent's answer for a schema incompatible with the subject's versions; some registries
      // (Apicurio) also answer it to the loser of two concurrent first registrations. Either way
      // the schema may be there already: asking is cheap, and tells the two apart.
      HttpResponse<String> found = send(post(path, body));
      if (found.statusCode() / 100 == 2) {
        response = found;
      }
    }
    return expectOk(response, "registering " + schema.getFullName() + " under " + subject)
        .path("id")
        .asInt();
  }

  private HttpRequest post(String path, String body) {
    return request(path)
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(config.url() + path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest request) throws RegistryUnavailableException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (SSLException e) {
      // A certificate the trust store does not accept, or no common protocol: configuration,
      // which no retry mends.
      throw new RegistryException(
          0,
          "TLS to "
              + config.url()
              + " failed: "
              + e.getMessage()
              + " (check the registry trust store and key store settings)");
    } catch (IOException e) {
      SSLException tls = tlsFailure(e);
      if (tls != null) {
        // A certificate the trust store does not accept, or no common protocol: configuration,
        // which no retry mends.
        throw new RegistryException(
            0,
            "TLS to "
                + config.url()
                + " failed: "
                + tls.getMessage()
                + " (check the registry trust store and key store settings)");
      }
      throw new RegistryUnavailableException(
          config.url() + " unreachable: " + (e.getMessage() != null ? e.getMessage() : e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while asking " + config.url(), e);
    }
    int status = response.statusCode();
    if (status >= 500 || status == 429 || status == 408) {
      throw new RegistryUnavailableException(
          config.url() + " answered " + status + ": " + brief(response.body()), null);
    }
    return response;
  }

  private static SSLException tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException tls) {
        return tls;
      }
    }
    return null;
  }

  private JsonNode expectOk(HttpResponse<String> response, String what) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new RegistryException(
            status, what + ": not a registry's answer: " + brief(response.body()));
      }
    }
    String hint =
        status == 401 || status == 403
            ? " (check the registry credentials)"
            : status == 404 ? " (is " + config.url() + " the Confluent API's base URL?)" : "";
    throw new RegistryException(
        status, what + ": registry answered " + status + ": " + brief(response.body()) + hint);
  }

  private static int errorCode(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body()).path("error_code").asInt(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String brief(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }

  private static SSLContext sslContext(RegistryConfig config) {
    try {
      TrustManagerFactory trust = null;
      if (config.trustStore() != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(config.trustStore()));
      }
      KeyManagerFactory keys = null;
      if (config.keyStore() != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(config.keyStore()), password(config.keyStore()));
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS to the schema registry: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(RegistryConfig.Store store)
      throws GeneralSecurityException, IOException {
    KeyStore keyStore = KeyStore.getInstance(store.type());
    try (InputStream in = Files.newInputStream(Path.of(store.location()))) {
      keyStore.load(in, password(store));
    }
    return keyStore;
  }

  private static char[] password(RegistryConfig.Store store) {
    return store.password() == null ? null : store.password().toCharArray();
  }
}
