package io.streamsgd.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.schema.ModelUpdate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The serving app's HTTP API (Javalin), over Kafka Streams interactive queries:
 *
 * <ul>
 *   <li>{@code GET /models}: every model of every instance: id, version, samples seen, loss;
 *   <li>{@code GET /models/{id}}: one model whole (spec, metrics, parameters), 404 if unknown;
 *   <li>{@code POST /models/{id}/predict} with {@code {"features": [...]}}, {@code {"indices":
 *       [...], "values": [...]}} or {@code {"names": [...], "values": [...]}}: the prediction and
 *       the version that made it; 400 for malformed input, 404 for an unknown model, 422 for
 *       features that do not fit the model, 503 while the store is rebalancing.
 * </ul>
 *
 * A request for a model another instance holds is forwarded to it (Kafka Streams metadata tells
 * which), so any instance answers for every model. {@code GET /metrics} exposes {@link
 * ServingMetrics}; {@code GET /dashboard} is the live page of {@link DashboardRoutes}.
 */
final class ServingHttpApi {
  static final String FORWARDED = "X-Streamsgd-Forwarded";
  static final String PREDICT = "/models/{id}/predict";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ModelServingApp app;
  private final ServingMetrics metrics;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Javalin javalin;

  ServingHttpApi(ModelServingApp app) {
    this.app = app;
    this.metrics = app.metrics();
  }

  /** Starts the server; returns the port it listens on. */
  int start(String host, int port) {
    javalin =
        Javalin.create(
                config -> {
                  config.showJavalinBanner = false;
                  config.requestLogger.http(
                      (ctx, ms) ->
                          metrics.httpRequest(
                              endpoint(ctx), ctx.method().name(), ctx.statusCode(), ms / 1000.0));
                })
            .get("/health", this::health)
            .get("/models", this::listModels)
            .get("/models/{id}", this::getModel)
            .post(PREDICT, this::predict)
            .get(
                "/metrics",
                ctx -> ctx.contentType(ServingMetrics.contentType()).result(metrics.scrape()))
            .exception(
                ModelServingApp.StoreUnavailableException.class,
                (e, ctx) -> {
                  if (PREDICT.equals(endpoint(ctx))) {
                    metrics.predictionFailed(
                        ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.UNAVAILABLE);
                  }
                  ctx.status(503).json(ModelJson.error(e.getMessage()));
                })
            .exception(
                IOException.class,
                (e, ctx) -> {
                  if (PREDICT.equals(endpoint(ctx))) {
                    metrics.predictionFailed(
                        ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.UNAVAILABLE);
                  }
                  ctx.status(502).json(ModelJson.error("instance unreachable: " + e.getMessage()));
                });
    new DashboardRoutes(app.history()).addTo(javalin);
    javalin.start(host, port);
    return javalin.port();
  }

  /**
   * The route template that answered ({@code /models/{id}}, not the model's path), so the label has
   * as many values as there are routes; requests that matched none share one value.
   */
  private static String endpoint(Context ctx) {
    String path;
    try {
      path = ctx.endpointHandlerPath();
    } catch (IllegalStateException e) {
      path = null; // Javalin's answer for a request that never reached an endpoint handler
    }
    return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
  }

  void stop() {
    if (javalin != null) {
      javalin.stop();
    }
  }

  private void listModels(Context ctx) throws IOException, InterruptedException {
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelUpdate u : app.all()) {
      models.add(ModelJson.summary(u));
    }
    if (ctx.queryParam("local") == null) {
      for (HostInfo other : app.otherInstances()) {
        JsonNode remote =
            MAPPER.readTree(
                send(HttpRequest.newBuilder(uri(other, "/models?local=true")).GET()).body());
        for (JsonNode m : remote.path("models")) {
          models.add(
              MAPPER.convertValue(
                  m,
                  MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
        }
      }
    }
    models.sort(Comparator.comparing(m -> (String) m.get("modelId")));
    ctx.json(Map.of("models", models));
  }

  private void getModel(Context ctx) throws IOException, InterruptedException {
    String id = ctx.pathParam("id");
    if (forwarded(ctx, id, HttpRequest.newBuilder().GET())) {
      return;
    }
    Optional<ModelUpdate> update = app.latest(id);
    if (update.isEmpty()) {
      ctx.status(404).json(ModelJson.error("unknown model '" + id + "'"));
    } else {
      ctx.json(ModelJson.full(update.get()));
    }
  }

  /** 200 while the instance can answer queries (RUNNING), 503 otherwise: a readiness probe. */
  private void health(Context ctx) {
    KafkaStreams.State state = app.state();
    ctx.status(state == KafkaStreams.State.RUNNING ? 200 : 503).json(Map.of("state", state.name()));
  }

  private void predict(Context ctx) throws IOException, InterruptedException {
    String id = ctx.pathParam("id");
    FeatureVector x;
    try {
      x = features(MAPPER.readTree(ctx.body()));
    } catch (JsonProcessingException e) {
      metrics.predictionFailed(
          ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.MALFORMED_REQUEST);
      // the parser's own first line says what and where; its location dump says nothing more
      ctx.status(400)
          .json(ModelJson.error("malformed request: not JSON (" + e.getOriginalMessage() + ")"));
      return;
    } catch (IllegalArgumentException e) {
      metrics.predictionFailed(
          ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.MALFORMED_REQUEST);
      ctx.status(400).json(ModelJson.error("malformed request: " + e.getMessage()));
      return;
    }
    if (forwarded(
        ctx,
        id,
        HttpRequest.newBuilder()
            .POST(HttpRequest.BodyPublishers.ofString(ctx.body()))
            .header("Content-Type", "application/json"))) {
      return;
    }
    try {
      Optional<ModelServingApp.ServedPrediction> p = app.predict(id, x);
      if (p.isEmpty()) {
        metrics.predictionFailed(
            ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.UNKNOWN_MODEL);
        ctx.status(404).json(ModelJson.error("unknown model '" + id + "'"));
      } else {
        metrics.predicted(ServingMetrics.Source.HTTP, p.get().publishedAt());
        ctx.json(ModelJson.prediction(id, p.get().version(), p.get().prediction()));
      }
    } catch (IllegalArgumentException e) {
      metrics.predictionFailed(
          ServingMetrics.Source.HTTP, ServingMetrics.PredictionError.INVALID_FEATURES);
      ctx.status(422).json(ModelJson.error(e.getMessage()));
    }
  }

  /** Relays the request to the instance holding the model, if that is another one. */
  private boolean forwarded(Context ctx, String id, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    Optional<HostInfo> owner = app.ownerOf(id);
    if (owner.isEmpty()) {
      return false;
    }
    if (ctx.header(FORWARDED) != null) {
      throw new ModelServingApp.StoreUnavailableException(
          "model " + id + " is moving between instances", null);
    }
    HttpResponse<String> response = send(request.uri(uri(owner.get(), ctx.path())));
    ctx.status(response.statusCode()).contentType("application/json").result(response.body());
    return true;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(
        request.header(FORWARDED, "1").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HostInfo host, String pathAndQuery) {
    return URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
  }

  /** Dense {"features": [...]}, sparse {"indices", "values"} or named {"names", "values"}. */
  static FeatureVector features(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    if (body.has("features")) {
      return FeatureVector.dense(doubles(body.get("features"), "features"));
    }
    if (!body.has("indices") && !body.has("names")) {
      throw new IllegalArgumentException(
          "give 'features', or 'indices' and 'values', or 'names' and 'values'");
    }
    double[] values = doubles(body.get("values"), "values");
    if (body.has("indices")) {
      JsonNode idx = body.get("indices");
      if (!idx.isArray() || idx.size() != values.length) {
        throw new IllegalArgumentException("'indices' must be an array as long as 'values'");
      }
      int[] indices = new int[idx.size()];
      for (int i = 0; i < indices.length; i++) {
        if (!idx.get(i).canConvertToInt()) {
          throw new IllegalArgumentException("'indices' must hold integers");
        }
        indices[i] = idx.get(i).intValue();
        if (i > 0 && indices[i] <= indices[i - 1]) {
          throw new IllegalArgumentException("'indices' must be strictly increasing");
        }
      }
      return FeatureVector.sparse(indices, values);
    }
    JsonNode names = body.get("names");
    if (!names.isArray() || names.size() != values.length) {
      throw new IllegalArgumentException("'names' must be an array as long as 'values'");
    }
    String[] n = new String[names.size()];
    for (int i = 0; i < n.length; i++) {
      n[i] = names.get(i).asText();
    }
    return FeatureVector.named(n, values);
  }

  private static double[] doubles(JsonNode node, String field) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array of numbers");
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isNumber() || !Double.isFinite(node.get(i).doubleValue())) {
        throw new IllegalArgumentException("'" + field + "' must hold finite numbers");
      }
      out[i] = node.get(i).doubleValue();
    }
    return out;
  }
}
