package io.streamsgd.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The serving app's metrics, in Prometheus' text format at {@code GET /metrics}. Every label has a
 * small fixed set of values (route templates, not paths; no model ids), so an app holding thousands
 * of models still exposes a few dozen series. Each app has its own registry: several apps in one
 * JVM (tests, the demo) do not mix their counts.
 */
public final class ServingMetrics {
  /** Where a prediction request came from. */
  public enum Source {
    HTTP,
    TOPIC;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a prediction could not be made. */
  public enum PredictionError {
    /** No version of the model is held. */
    UNKNOWN_MODEL,
    /** Features that do not fit the model (dimension, sparse index). */
    INVALID_FEATURES,
    /** An HTTP body that is not JSON or not a feature shape. */
    MALFORMED_REQUEST,
    /**
     * The store could not be queried (rebalancing or restoring), or the instance holding the model
     * could not be reached.
     */
    UNAVAILABLE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String HTTP_REQUESTS = "streamsgd_serving_http_requests";
  static final String HTTP_DURATION = "streamsgd_serving_http_request_duration_seconds";
  static final String PREDICTIONS = "streamsgd_serving_predictions";
  static final String PREDICTION_ERRORS = "streamsgd_serving_prediction_errors";
  static final String STALENESS = "streamsgd_serving_model_staleness_seconds";
  static final String MODELS_HELD = "streamsgd_serving_models_held";
  static final String MODELS_KNOWN = "streamsgd_serving_models_known";
  static final String MAX_MODEL_AGE = "streamsgd_serving_latest_model_age_max_seconds";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter httpRequests =
      Counter.builder()
          .name(HTTP_REQUESTS)
          .help("HTTP requests answered, by route template, method and status code")
          .labelNames("endpoint", "method", "status")
          .register(registry);
  private final Histogram httpDuration =
      Histogram.builder()
          .name(HTTP_DURATION)
          .help("Time to answer an HTTP request, relaying to another instance included")
          .labelNames("endpoint")
          .classicOnly()
          .classicUpperBounds(
              0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
          .register(registry);
  private final Counter predictions =
      Counter.builder()
          .name(PREDICTIONS)
          .help(
              "Predictions scored by this instance, by where the request came from (http or topic)")
          .labelNames("source")
          .register(registry);
  private final Counter predictionErrors =
      Counter.builder()
          .name(PREDICTION_ERRORS)
          .help("Prediction requests answered with an error, by source and reason")
          .labelNames("source", "reason")
          .register(registry);
  private final Histogram staleness =
      Histogram.builder()
          .name(STALENESS)
          .help(
              "Age of the model version that scored a prediction: scoring time minus the version's publishedAt")
          .labelNames("source")
          .classicOnly()
          .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400)
          .register(registry);

  /**
   * Registers the gauges read at scrape time.
   *
   * @param modelsHeld models in this instance's store (its share of the partitions); empty while
   *     the store cannot be queried
   * @param history every model on the topic as this instance reads it
   */
  void gaugeModels(Supplier<OptionalLong> modelsHeld, ModelHistory history) {
    GaugeWithCallback.builder()
        .name(MODELS_HELD)
        .help("Models in this instance's store, the share of the models it answers for itself")
        .callback(cb -> modelsHeld.get().ifPresent(cb::call))
        .register(registry);
    GaugeWithCallback.builder()
        .name(MODELS_KNOWN)
        .help("Models on the models topic, as this instance reads it (every instance reads all)")
        .callback(cb -> cb.call(history.models()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(MAX_MODEL_AGE)
        .help(
            "Now minus publishedAt of the latest version of each model, the largest over all models:"
                + " how long the most silent model has gone without an update")
        .callback(
            cb ->
                history.latestPoints().stream()
                    .mapToLong(ModelHistory.Point::publishedAt)
                    .min()
                    .ifPresent(oldest -> cb.call(seconds(System.currentTimeMillis() - oldest))))
        .register(registry);
  }

  /** An answered HTTP request; {@code endpoint} is the route template, so its values are few. */
  void httpRequest(String endpoint, String method, int status, double seconds) {
    httpRequests.labelValues(endpoint, method, Integer.toString(status)).inc();
    httpDuration.labelValues(endpoint).observe(seconds);
  }

  /** A prediction scored with a version published at {@code publishedAt}. */
  void predicted(Source source, Instant publishedAt) {
    predictions.labelValues(source.label()).inc();
    staleness
        .labelValues(source.label())
        .observe(seconds(System.currentTimeMillis() - publishedAt.toEpochMilli()));
  }

  void predictionFailed(Source source, PredictionError reason) {
    predictionErrors.labelValues(source.label(), reason.label()).inc();
  }

  /**
   * Trainer and serving host clocks may differ by a little; a version "from the future" counts as
   * fresh, not as a negative age that would pull the histogram's sum down.
   */
  private static double seconds(long millis) {
    return Math.max(0, millis) / 1000.0;
  }

  /** The Prometheus text exposition (format 0.0.4) of every metric. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen writing to memory", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
