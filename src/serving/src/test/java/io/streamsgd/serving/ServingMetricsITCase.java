package io.streamsgd.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.codec.Codecs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a serving app on a real broker, scraped while it serves over HTTP and
 * over the requests topic: the counts equal the requests made, staleness and model age lie between
 * what the publish times allow, and the dashboard's data holds every version.
 */
class ServingMetricsITCase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PREDICT = "/models/{id}/predict";
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path tmp;

  /** One sample line of the text format: name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as("a sample line: %s", line).isTrue();
      Map<String, String> labels = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return out;
  }

  /** The value of the one series with this name and these labels (and maybe others), 0 if none. */
  static double value(List<Sample> samples, String name, String... labels) {
    List<Sample> found =
        samples.stream().filter(s -> s.name().equals(name) && has(s, labels)).toList();
    assertThat(found.size()).as("series %s %s", name, List.of(labels)).isLessThanOrEqualTo(1);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  private static boolean has(Sample s, String... labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }

  HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    b =
        body == null
            ? b.GET()
            : b.method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static ModelUpdate update(String id, long version, long publishedAt) {
    ModelUpdate u = LatestModelTopologyTest.update(id, version);
    u.setPublishedAt(Instant.ofEpochMilli(publishedAt));
    return u;
  }

  @Test
  void exposesRequestCountsLatencyStalenessAndModelGauges() throws Exception {
    long start = System.currentTimeMillis();
    long aPublished = start - 2_000; // model a: 2 s old, b: 10 s old
    long bPublished = start - 10_000;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp.resolve("kafka"))) {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("models", 2, (short) 1),
                    new NewTopic("models-published-specs", 2, (short) 1),
                    new NewTopic("prediction-requests", 2, (short) 1),
                    new NewTopic("predictions", 2, (short) 1)))
            .all()
            .get();
      }
      try (KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(
              kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
        for (long v = 1; v <= 3; v++) {
          p.send(
              new ProducerRecord<>(
                  "models",
                  "a",
                  Codecs.MODEL_UPDATE.encode(update("a", v, aPublished - 1000 * (3 - v)))));
        }
        p.send(
                new ProducerRecord<>(
                    "models", "b", Codecs.MODEL_UPDATE.encode(update("b", 1, bPublished))))
            .get();
      }
      ServingSettings settings =
          ServingSettings.defaults(kafka.bootstrapServers(), tmp.resolve("streams"))
              .withStoreType(LatestModelTopology.StoreType.IN_MEMORY)
              .withHttp("127.0.0.1", 0);
      try (ModelServingApp app = new ModelServingApp(settings).start(Duration.ofSeconds(60))) {
        int port = app.httpPort();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((app.latest("a").map(ModelUpdate::getVersion).orElse(0L) < 3
                || app.latest("b").isEmpty()
                || app.history().models() < 2)
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }

        // over HTTP: 7 scored, 2 unknown, 1 malformed, 1 misfit, 1 path no route matches
        for (int i = 0; i < 7; i++) {
          assertThat(
                  send(port, "POST", "/models/a/predict", "{\"features\": [" + i + "]}")
                      .statusCode())
              .isEqualTo(200);
        }
        assertThat(send(port, "POST", "/models/nobody/predict", "{\"features\": [1]}").statusCode())
            .isEqualTo(404);
        assertThat(send(port, "POST", "/models/nobody/predict", "{\"features\": [1]}").statusCode())
            .isEqualTo(404);
        assertThat(send(port, "POST", "/models/a/predict", "{not json").statusCode())
            .isEqualTo(400);
        assertThat(send(port, "POST", "/models/a/predict", "{\"features\": [1, 2]}").statusCode())
            .isEqualTo(422);
        assertThat(send(port, "GET", "/no/such/route", null).statusCode()).isEqualTo(404);
        assertThat(send(port, "GET", "/models/b", null).statusCode()).isEqualTo(200);

        // over the requests topic: 2 scored, 1 unknown
        try (KafkaProducer<String, byte[]> p =
            new KafkaProducer<>(
                kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
          p.send(
              new ProducerRecord<>(
                  "prediction-requests",
                  "a",
                  Codecs.PREDICTION_REQUEST.encode(
                      LatestModelTopologyTest.request("r1", "a", 0.5))));
          p.send(
              new ProducerRecord<>(
                  "prediction-requests",
                  "b",
                  Codecs.PREDICTION_REQUEST.encode(
                      LatestModelTopologyTest.request("r2", "b", 0.5))));
          p.send(
                  new ProducerRecord<>(
                      "prediction-requests",
                      "zz",
                      Codecs.PREDICTION_REQUEST.encode(
                          LatestModelTopologyTest.request("r3", "zz", 0.5))))
              .get();
        }
        assertThat(readPredictions(kafka, 3)).containsExactlyInAnyOrder("r1", "r2", "r3");

        long beforeScrape = System.currentTimeMillis();
        HttpResponse<String> scrape = send(port, "GET", "/metrics", null);
        long afterScrape = System.currentTimeMillis();
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse(""))
            .startsWith("text/plain")
            .contains("version=0.0.4");
        List<Sample> m = parse(scrape.body());
        System.out.println(scrape.body());

        String requests = ServingMetrics.HTTP_REQUESTS + "_total";
        assertThat(value(m, requests, "endpoint", PREDICT, "method", "POST", "status", "200"))
            .isEqualTo(7);
        assertThat(value(m, requests, "endpoint", PREDICT, "method", "POST", "status", "404"))
            .isEqualTo(2);
        assertThat(value(m, requests, "endpoint", PREDICT, "method", "POST", "status", "400"))
            .isEqualTo(1);
        assertThat(value(m, requests, "endpoint", PREDICT, "method", "POST", "status", "422"))
            .isEqualTo(1);
        assertThat(value(m, requests, "endpoint", "/models/{id}", "method", "GET", "status", "200"))
            .isEqualTo(1);
        assertThat(value(m, requests, "endpoint", "unmatched", "method", "GET", "status", "404"))
            .isEqualTo(1);
        // no label carries a model id or a raw path
        assertThat(
                m.stream().flatMap(s -> s.labels().values().stream()).collect(Collectors.toSet()))
            .doesNotContain(
                "/models/a/predict", "/models/nobody/predict", "/no/such/route", "a", "nobody");

        String duration = ServingMetrics.HTTP_DURATION;
        assertThat(value(m, duration + "_count", "endpoint", PREDICT)).isEqualTo(11);
        assertThat(value(m, duration + "_bucket", "endpoint", PREDICT, "le", "+Inf")).isEqualTo(11);
        assertThat(value(m, duration + "_sum", "endpoint", PREDICT))
            .isPositive()
            .isLessThan((afterScrape - start) / 1000.0);

        assertThat(value(m, ServingMetrics.PREDICTIONS + "_total", "source", "http")).isEqualTo(7);
        assertThat(value(m, ServingMetrics.PREDICTIONS + "_total", "source", "topic")).isEqualTo(2);
        String errors = ServingMetrics.PREDICTION_ERRORS + "_total";
        assertThat(value(m, errors, "source", "http", "reason", "unknown_model")).isEqualTo(2);
        assertThat(value(m, errors, "source", "http", "reason", "malformed_request")).isEqualTo(1);
        assertThat(value(m, errors, "source", "http", "reason", "invalid_features")).isEqualTo(1);
        assertThat(value(m, errors, "source", "topic", "reason", "unknown_model")).isEqualTo(1);

        // staleness: each HTTP prediction used a's version 3, published at aPublished
        String staleness = ServingMetrics.STALENESS;
        assertThat(value(m, staleness + "_count", "source", "http")).isEqualTo(7);
        double meanHttp = value(m, staleness + "_sum", "source", "http") / 7;
        assertThat(meanHttp)
            .isBetween((start - aPublished) / 1000.0, (beforeScrape - aPublished) / 1000.0);
        assertThat(value(m, staleness + "_bucket", "source", "http", "le", "1.0")).isZero();
        assertThat(value(m, staleness + "_bucket", "source", "http", "le", "60.0")).isEqualTo(7);
        // over the topic, a's and b's: between 2 and 10 s old, plus the time the test took
        assertThat(value(m, staleness + "_count", "source", "topic")).isEqualTo(2);
        double sumTopic = value(m, staleness + "_sum", "source", "topic");
        assertThat(sumTopic)
            .isBetween(
                (2 * start - aPublished - bPublished) / 1000.0,
                (2 * beforeScrape - aPublished - bPublished) / 1000.0);

        assertThat(value(m, ServingMetrics.MODELS_HELD)).isEqualTo(2);
        assertThat(value(m, ServingMetrics.MODELS_KNOWN)).isEqualTo(2);
        assertThat(value(m, ServingMetrics.MAX_MODEL_AGE))
            .isBetween((beforeScrape - bPublished) / 1000.0, (afterScrape - bPublished) / 1000.0);

        // the dashboard's data: both models, every version of a in order, served with the page
        JsonNode data = JSON.readTree(send(port, "GET", "/dashboard/data", null).body());
        assertThat(data.get("models"))
            .extracting(n -> n.get("modelId").asText())
            .containsExactly("a", "b");
        JsonNode a = data.get("models").get(0);
        assertThat(a.get("version").asLong()).isEqualTo(3);
        assertThat(a.get("points")).extracting(p -> p.get(1).asLong()).containsExactly(1L, 2L, 3L);
        assertThat(a.get("points").get(2).get(0).asLong()).isEqualTo(aPublished);
        HttpResponse<String> page = send(port, "GET", "/dashboard", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("/dashboard/data").doesNotContain("<script src", "<link");
      }
    }
  }

  private static List<String> readPredictions(EmbeddedKafkaBroker kafka, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> parts =
          c.partitionsFor("predictions").stream()
              .map(p -> new TopicPartition("predictions", p.partition()))
              .collect(Collectors.toSet());
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ids.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          Prediction p = Codecs.PREDICTION.decode(r.value());
          ids.add(p.getRequestId().toString());
        }
      }
    }
    return ids;
  }
}
