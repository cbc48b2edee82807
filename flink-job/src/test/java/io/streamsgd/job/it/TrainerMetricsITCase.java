package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trainer's Flink metrics as Prometheus scrapes them: a MiniCluster with the Prometheus
 * reporter runs the job on a real broker, and the scraped counts equal what was produced.
 */
class TrainerMetricsITCase {
  static final String PREFIX = "flink_taskmanager_job_task_operator_streamsgd_";

  /**
   * A cluster of its own, with the reporter: the counts asserted are sums over every job the
   * reporter sees, so no other test's job may run there.
   */
  @RegisterExtension
  static final SharedKafkaFlink KAFKA_FLINK = SharedKafkaFlink.withOwnCluster(reporter());

  static Configuration reporter() {
    Configuration c = new Configuration();
    c.setString(
        "metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
    return c;
  }

  /** Model id, batch size, samples: every batch closes by size. */
  static final Map<String, int[]> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("alpha", new int[] {10, 200});
    MODELS.put("beta", new int[] {10, 150});
    MODELS.put("gamma", new int[] {5, 100});
  }

  static final int NOT_AVRO = 3;
  static final int WRONG_DIMENSION = 2;

  static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  static byte[] sample(String model, double[] x, double label) {
    return Codecs.TRAINING_SAMPLE.encode(
        TrainingSample.newBuilder()
            .setModelId(model)
            .setFeatures(new DenseFeatures(new DoubleArrayView(x)))
            .setLabel(label)
            .setEventTime(Instant.now())
            .build());
  }

  @Test
  void prometheusShowsTheTrainersCountsLatencyAndOptInModelGauges() throws Exception {
    TopicIO io = KAFKA_FLINK.io();
    Topics topics = KAFKA_FLINK.topics(2, 2);
    List<ProducerRecord<byte[], byte[]>> specs = new ArrayList<>();
    MODELS.forEach(
        (id, m) -> {
          ModelSpec spec =
              id.equals("beta")
                  ? ModelSpecs.logisticRegression(id, 3, 0.5, m[0])
                  : ModelSpecs.linearRegression(id, 3, 0.1, m[0]);
          specs.add(
              record(
                  topics.specs(),
                  id,
                  Codecs.MODEL_SPEC.encode(ModelSpecs.withFixedBatches(spec, m[0]))));
        });
    io.produce(topics.specs(), specs);

    Random rnd = new Random(7);
    List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
    long good = 0;
    long batches = 0;
    for (Map.Entry<String, int[]> m : MODELS.entrySet()) {
      for (int i = 0; i < m.getValue()[1]; i++) {
        double a = rnd.nextDouble();
        double b = rnd.nextDouble();
        samples.add(
            record(
                topics.samples(),
                m.getKey(),
                sample(
                    m.getKey(),
                    new double[] {a, b, 1},
                    m.getKey().equals("beta") ? (a > b ? 1 : 0) : a - 2 * b)));
      }
      good += m.getValue()[1];
      batches += m.getValue()[1] / m.getValue()[0];
    }
    for (int i = 0; i < NOT_AVRO; i++) {
      samples.add(record(topics.samples(), "alpha", "not avro".getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < WRONG_DIMENSION; i++) {
      samples.add(record(topics.samples(), "alpha", sample("alpha", new double[] {1, 2, 3, 4}, 1)));
    }
    java.util.Collections.shuffle(samples, rnd); // models and bad records interleave
    io.produce(topics.samples(), samples);

    Configuration options = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    options.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    options.set(JobOptions.METRICS_MODEL_IDS, "alpha");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    StreamSgdJob.build(env, JobSettings.from(options));
    JobClient job = env.executeAsync("metrics-it");
    long expectedGood = good;
    long expectedBatches = batches;
    Scrape scrape;
    try {
      scrape =
          Awaitility.await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  TrainerMetricsITCase::scrape,
                  s ->
                      s.sum("samplesTrained") == expectedGood
                          && s.sum("batchesApplied") == expectedBatches
                          && s.sum("reason_deadLetters") == NOT_AVRO + WRONG_DIMENSION);
    } finally {
      job.cancel().get();
    }

    assertThat(scrape.sum("samplesDecoded")).isEqualTo(good + WRONG_DIMENSION);
    assertThat(scrape.sum("reason_deadLetters", "reason", "NOT_AVRO")).isEqualTo(NOT_AVRO);
    assertThat(scrape.sum("reason_deadLetters", "reason", "WRONG_DIMENSION"))
        .isEqualTo(WRONG_DIMENSION);
    assertThat(scrape.sum("divergenceRejections")).isZero();
    assertThat(scrape.sum("modelsHeld")).isEqualTo(MODELS.size());
    // parameters: 3 weights + 1 intercept per model, at 8 bytes; optimizer slots come on top
    assertThat(scrape.sum("modelStateBytes"))
        .isGreaterThanOrEqualTo(MODELS.size() * 4 * 8)
        .isLessThan(10_000);
    // histograms are summaries: a count of every update, quantiles over the recent ones
    assertThat(scrape.sum("batchSize_count")).isEqualTo(batches);
    assertThat(scrape.values("batchSize", "quantile", "0.5"))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).isBetween(5.0, 10.0));
    assertThat(scrape.sum("updateLatencyMillis_count")).isEqualTo(batches);
    assertThat(scrape.values("updateLatencyMillis", "quantile", "0.99"))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).isBetween(0.0, 120_000.0));
    assertThat(scrape.sum("updateEventTimeLagMillis_count")).isEqualTo(batches);
    assertThat(scrape.values("updateEventTimeLagMillis", "quantile", "0.5"))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v).isBetween(0.0, 300_000.0));

    // gauges of the opt-in model alone
    assertThat(scrape.values("model_id_version", "model_id", "alpha")).containsExactly(20.0);
    assertThat(scrape.values("model_id_samplesSeen", "model_id", "alpha")).containsExactly(200.0);
    assertThat(scrape.values("model_id_lastBatchSize", "model_id", "alpha")).containsExactly(10.0);
    assertThat(scrape.values("model_id_meanLoss", "model_id", "alpha"))
        .singleElement()
        .satisfies(v -> assertThat(v).isBetween(0.0, 10.0));
    assertThat(scrape.lines)
        .filteredOn(l -> l.labels.containsKey("model_id"))
        .allSatisfy(l -> assertThat(l.labels.get("model_id")).isEqualTo("alpha"));
  }

  static Scrape scrape() throws Exception {
    int port = LoopbackPrometheusReporterFactory.port();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new Scrape(r.body());
  }

  /** The streamsgd series of a Prometheus text exposition. */
  static final class Scrape {
    static final Pattern LINE =
        Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    static final Pattern LABEL =
        Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Line(String name, Map<String, String> labels, double value) {}

    final List<Line> lines = new ArrayList<>();

    Scrape(String text) {
      for (String l : text.split("\n")) {
        Matcher m = LINE.matcher(l.trim());
        if (l.startsWith("#") || !m.matches() || !m.group(1).startsWith(PREFIX)) {
          continue;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
          Matcher lm = LABEL.matcher(m.group(2));
          while (lm.find()) {
            labels.put(lm.group(1), lm.group(2));
          }
        }
        lines.add(
            new Line(
                m.group(1).substring(PREFIX.length()), labels, Double.parseDouble(m.group(3))));
      }
    }

    List<Double> values(String name, String label, String value) {
      return lines.stream()
          .filter(l -> l.name.equals(name) && value.equals(l.labels.get(label)))
          .map(Line::value)
          .toList();
    }

    /** Summed over subtasks and operators. */
    long sum(String name) {
      return Math.round(
          lines.stream().filter(l -> l.name.equals(name)).mapToDouble(Line::value).sum());
    }

    long sum(String name, String label, String value) {
      return Math.round(values(name, label, value).stream().mapToDouble(Double::doubleValue).sum());
    }
  }
}
