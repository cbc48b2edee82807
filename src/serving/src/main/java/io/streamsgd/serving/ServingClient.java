package io.streamsgd.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's view of the serving app: its public HTTP API, as any service would call it, so the
 * demo shows the same path a user's service takes.
 */
public final class ServingClient {
  /** What {@code POST /models/{id}/predict} answered. */
  public record Answer(double value, long version) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public ServingClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * The served model's {@code samplesSeen}, or empty while the serving app does not know the model.
   */
  public Optional<Long> samplesSeen(String modelId) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(get("/models/" + modelId), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404 || r.statusCode() == 503) {
      return Optional.empty();
    }
    return Optional.of(ok(r).get("samplesSeen").asLong());
  }

  public Answer predictDense(String modelId, double... features)
      throws IOException, InterruptedException {
    String body = MAPPER.writeValueAsString(Map.of("features", features));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/models/" + modelId + "/predict"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    JsonNode json = ok(client.send(request, HttpResponse.BodyHandlers.ofString()));
    return new Answer(json.get("value").asDouble(), json.get("version").asLong());
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
  }

  private static JsonNode ok(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IOException(
          "serving app answered " + r.statusCode() + " to " + r.uri() + ": " + r.body());
    }
    return MAPPER.readTree(r.body());
  }
}
