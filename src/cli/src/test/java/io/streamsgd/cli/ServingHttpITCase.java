package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.core.avro.ModelUpdates;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.core.model.Predictor;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.spec.SpecFingerprint;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.stack.EmbeddedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two serving instances over HTTP while the trainer runs: every prediction equals the core's
 * prediction with the parameters of the version it names, that version is never older than the last
 * one committed a checkpoint interval (plus the Streams commit interval and a margin) before the
 * request, and either instance answers the same for every model.
 */
class ServingHttpITCase {
  static final int N = 2000;
  static final long SLACK_MS =
      1000 + 100 + 1500; // checkpoint interval + Streams commit interval + margin
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  /** Records when each committed version was first seen by a read_committed consumer. */
  static final class VersionClock implements Runnable {
    final Map<String, Map<Long, ModelUpdate>> updates = new ConcurrentHashMap<>();
    final Map<String, List<long[]>> seen = new ConcurrentHashMap<>(); // model -> (version, seenAt)
    final KafkaConsumer<byte[], byte[]> consumer;
    volatile boolean running = true;

    VersionClock(String bootstrap, String topic) {
      consumer =
          new KafkaConsumer<>(
              Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      Set<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toSet());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    @Override
    public void run() {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          try {
            ModelUpdate u = Codecs.MODEL_UPDATE.decode(r.value());
            long now = System.currentTimeMillis();
            updates
                .computeIfAbsent(u.getModelId(), k -> new ConcurrentHashMap<>())
                .put(u.getVersion(), u);
            seen.computeIfAbsent(
                    u.getModelId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(new long[] {u.getVersion(), now});
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
      consumer.close();
    }

    long newestSeenBefore(String model, long time) {
      long best = 0;
      for (long[] vs : List.copyOf(seen.getOrDefault(model, List.of()))) {
        if (vs[1] <= time) {
          best = Math.max(best, vs[0]);
        }
      }
      return best;
    }

    long samplesSeen(String model) {
      return updates.getOrDefault(model, Map.of()).values().stream()
          .mapToLong(ModelUpdate::getSamplesSeen)
          .max()
          .orElse(0);
    }
  }

  record Answer(long sentAt, String model, double[] x, int status, JsonNode body) {}

  HttpResponse<String> post(int port, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void predictionsOverHttpAreFreshExactAndTheSameOnEveryInstance(@TempDir Path tmp)
      throws Exception {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    specs.put(
        "lin",
        ModelSpecs.of(
            "lin",
            io.streamsgd.schema.Task.REGRESSION,
            io.streamsgd.schema.Loss.SQUARED,
            3,
            0.1,
            0,
            20,
            200));
    specs.put(
        "log",
        ModelSpecs.of(
            "log",
            io.streamsgd.schema.Task.BINARY,
            io.streamsgd.schema.Loss.LOGISTIC,
            3,
            0.5,
            0,
            20,
            200));
    specs.put("soft", ModelSpecs.softmaxRegression("soft", 3, 3, 0.3, 20));
    try (EmbeddedStack stack =
        EmbeddedStack.start(tmp.resolve("stack"), 2, TopicLayout.defaults(4))) {
      TopicIO io = new TopicIO(stack.bootstrapServers());
      Configuration job = stack.jobOptions();
      job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
      stack.startTrainer(job);
      ModelServingApp a = stack.startServing();
      try (ModelServingApp b =
          new ModelServingApp(stack.servingSettings("b")).start(Duration.ofSeconds(60))) {
        VersionClock clock = new VersionClock(stack.bootstrapServers(), stack.topics().models());
        Thread clockThread = new Thread(clock, "version-clock");
        clockThread.start();
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    TestInput.produceOver(
                        io,
                        stack.topics().samples(),
                        stack.topics().specs(),
                        specs,
                        N,
                        Duration.ofSeconds(12));
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
        Random rnd = new Random(7);
        List<String> ids = List.copyOf(specs.keySet());
        List<Answer> answers = new ArrayList<>();
        while (!producing.isDone()
            || specs.keySet().stream().anyMatch(id -> clock.samplesSeen(id) < N)) {
          String model = ids.get(rnd.nextInt(ids.size()));
          double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextGaussian()};
          int port = rnd.nextBoolean() ? a.httpPort() : b.httpPort();
          long sentAt = System.currentTimeMillis();
          HttpResponse<String> r =
              post(
                  port,
                  "/models/" + model + "/predict",
                  JSON.writeValueAsString(Map.of("features", x)));
          answers.add(new Answer(sentAt, model, x, r.statusCode(), JSON.readTree(r.body())));
          Thread.sleep(30);
        }
        producing.get();
        Thread.sleep(500);
        clock.running = false;
        clockThread.join();

        int scored = 0;
        for (Answer ans : answers) {
          if (ans.status() == 404) { // only before any version of the model was committed
            assertThat(clock.newestSeenBefore(ans.model(), ans.sentAt() - SLACK_MS))
                .as("404 for %s at %d", ans.model(), ans.sentAt())
                .isZero();
            continue;
          }
          assertThat(ans.status()).as(ans.body().toString()).isEqualTo(200);
          long version = ans.body().get("version").asLong();
          assertThat(version)
              .as("freshness of %s", ans.model())
              .isGreaterThanOrEqualTo(clock.newestSeenBefore(ans.model(), ans.sentAt() - SLACK_MS));
          ModelUpdate used = clock.updates.get(ans.model()).get(version);
          // Versions name their spec: the one each model was given, and never changed here.
          ModelSpec spec = specs.get(ans.model());
          assertThat(used.getSpecFingerprint()).isEqualTo(SpecFingerprint.of(spec));
          ModelOutput core =
              new Predictor(spec, ModelUpdates.model(used)).predict(FeatureVector.dense(ans.x()));
          assertThat(ans.body().get("value").asDouble()).isEqualTo(core.value());
          assertThat(ans.body().get("score").asDouble()).isEqualTo(core.score());
          assertThat(ans.body().get("predictedClass").asInt()).isEqualTo(core.predictedClass());
          scored++;
        }
        assertThat(scored).as("predictions checked").isGreaterThan(50);

        // any instance answers the same, for every model
        for (String id : ids) {
          String body = JSON.writeValueAsString(Map.of("features", new double[] {0.2, 0.4, -0.3}));
          assertThat(JSON.readTree(post(a.httpPort(), "/models/" + id + "/predict", body).body()))
              .isEqualTo(
                  JSON.readTree(post(b.httpPort(), "/models/" + id + "/predict", body).body()));
          assertThat(JSON.readTree(get(a.httpPort(), "/models/" + id).body()))
              .isEqualTo(JSON.readTree(get(b.httpPort(), "/models/" + id).body()));
        }
        JsonNode list = JSON.readTree(get(b.httpPort(), "/models").body()).get("models");
        assertThat(list)
            .extracting(m -> m.get("modelId").asText())
            .containsExactly("lin", "log", "soft");
        assertThat(list.get(0).get("samplesSeen").asLong()).isEqualTo(N);

        // errors say what is wrong, with the right status
        assertThat(
                post(a.httpPort(), "/models/nobody/predict", "{\"features\": [1, 2, 3]}")
                    .statusCode())
            .isEqualTo(404);
        assertThat(get(b.httpPort(), "/models/nobody").statusCode()).isEqualTo(404);
        assertThat(post(a.httpPort(), "/models/lin/predict", "{not json").statusCode())
            .isEqualTo(400);
        assertThat(
                post(b.httpPort(), "/models/lin/predict", "{\"features\": [\"a\"]}").statusCode())
            .isEqualTo(400);
        HttpResponse<String> misfit =
            post(a.httpPort(), "/models/lin/predict", "{\"features\": [1, 2]}");
        assertThat(misfit.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(misfit.body()).get("error").asText())
            .contains("expects 3 features");
        assertThat(
                JSON.readTree(
                        post(a.httpPort(), "/models/soft/predict", "{\"features\": [1, 0, 0]}")
                            .body())
                    .get("probabilities"))
            .hasSize(3);
      }
    }
  }
}
