package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.core.model.PublishedModel;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.serving.ModelSubscriber;
import io.streamsgd.stack.EmbeddedStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python and Node examples of {@code examples/}, run as child processes against a real broker
 * and the trainer: each gives three models (dense regression, hashed binary, sparse multiclass)
 * their specs and samples, then reads the models topic back, the hashed model's versions in chunks,
 * with its published-specs topic (the versions name their spec, which the trainer writes there
 * once), and scores requests; every answer equals the Java core's on the same published version to
 * 1e-12. Needs Debian's {@code python3-confluent-kafka} and {@code python3-avro} for {@code
 * /usr/bin/python3} (elsewhere {@code -Dstreamsgd.python=PATH}) and {@code npm ci} in {@code
 * examples/node}; each language is skipped, saying so, without them, as the dashboard's browser
 * test is without Chromium ({@code .ci/run} installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesBeyondTheJvmITCase {
  static final Path ROOT =
      Path.of(System.getProperty("streamsgd.repo.root", "../..")).toAbsolutePath().normalize();
  static final Path EXAMPLES = ROOT.resolve("examples");
  static final String PYTHON = System.getProperty("streamsgd.python", "/usr/bin/python3");
  static final String NODE = System.getProperty("streamsgd.node", "node");
  static final ObjectMapper JSON = new ObjectMapper();

  /** Small enough that the hashed models' versions (about 2,700 columns) go out in chunks. */
  static final int RECORD_LIMIT = 20_000;

  static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path tmp;
  EmbeddedStack stack;
  ModelSubscriber models;

  @BeforeAll
  void startBrokerAndTrainer() throws Exception {
    stack = EmbeddedStack.start(tmp.resolve("stack"), 1, TopicLayout.defaults(2));
    Configuration job = stack.jobOptions();
    job.set(JobOptions.SINK_MAX_RECORD_BYTES, RECORD_LIMIT);
    job.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
    stack.startTrainer(withFraming(job));
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("bootstrap.servers", stack.bootstrapServers());
    client.putAll(registryProperties());
    models = new ModelSubscriber(client, stack.topics().models());
  }

  @AfterAll
  void stop() throws Exception {
    if (models != null) {
      models.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  /** The trainer's options for this class's framing: Avro single-object encoding throughout. */
  Configuration withFraming(Configuration job) {
    return job;
  }

  /** The examples' flags for this class's framing, for {@code produce} and {@code score}. */
  List<String> framingFlags() {
    return List.of("--framing", "single-object");
  }

  /** Schema-registry settings of Java clients, by Confluent's names; none here. */
  Map<String, Object> registryProperties() {
    return Map.of();
  }

  /** The first byte of every record the trainer publishes in this class's framing. */
  byte publishedFirstByte() {
    return (byte) 0xC3;
  }

  /** How the test itself reads the models topic. */
  FramedCodec<ModelUpdate> modelCodec() {
    return FramedCodec.of(Codecs.MODEL_UPDATE, null);
  }

  @Test
  void pythonExampleTrainsModelsAndScoresAsTheJavaCore() throws Exception {
    Path dir = EXAMPLES.resolve("python");
    assumeTrue(
        runs(dir, PYTHON, "-c", "import confluent_kafka, avro"),
        "the Python example is not run: "
            + PYTHON
            + " cannot import confluent_kafka and avro (apt-get install python3-confluent-kafka"
            + " python3-avro)");
    trainsModelsAndScoresAsTheJavaCore(dir, "py", List.of(PYTHON, "example.py"));
  }

  @Test
  void nodeExampleTrainsModelsAndScoresAsTheJavaCore() throws Exception {
    Path dir = EXAMPLES.resolve("node");
    assumeTrue(
        runs(dir, NODE, "-e", "require('kafkajs'); require('avsc'); require('lz4js')"),
        "the Node example is not run: "
            + NODE
            + " is missing or cannot load kafkajs, avsc and lz4js (apt-get install nodejs npm;"
            + " npm ci in examples/node)");
    trainsModelsAndScoresAsTheJavaCore(dir, "node", List.of(NODE, "example.js"));
  }

  void trainsModelsAndScoresAsTheJavaCore(Path dir, String prefix, List<String> example)
      throws Exception {
    List<JsonNode> produced =
        run(dir, prefix + "-produce", withFlags(example, "produce", "--prefix", prefix), "");
    Map<String, Long> finalVersions = new LinkedHashMap<>();
    produced.forEach(
        line -> finalVersions.put(line.get("modelId").asText(), line.get("finalVersion").asLong()));
    assertThat(finalVersions)
        .containsOnlyKeys(prefix + "-dense", prefix + "-hashed", prefix + "-classes");

    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!finalVersions.entrySet().stream()
        .allMatch(
            e ->
                models.latest(e.getKey()).map(ModelUpdate::getVersion).orElse(0L)
                    == e.getValue())) {
      stack.checkTrainer();
      assertThat(System.nanoTime())
          .as("the final versions of %s", finalVersions)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(chunksOfVersion(prefix + "-hashed", finalVersions.get(prefix + "-hashed")))
        .as("records of the hashed model's last version")
        .isGreaterThan(1);
    assertThat(new TopicIO(stack.bootstrapServers()).readAllCommitted(stack.topics().deadLetters()))
        .as("dead letters: every record the examples wrote was trained on")
        .isEmpty();

    List<ObjectNode> requests = requests(prefix);
    StringBuilder input = new StringBuilder();
    for (ObjectNode request : requests) {
      input.append(JSON.writeValueAsString(request)).append('\n');
    }
    List<JsonNode> answers =
        run(dir, prefix + "-score", withFlags(example, "score"), input.toString());
    assertThat(answers).hasSameSizeAs(requests);
    int scored = 0;
    for (int i = 0; i < requests.size(); i++) {
      JsonNode request = requests.get(i);
      JsonNode answer = answers.get(i);
      String id = request.get("modelId").asText();
      String what = prefix + " request " + request + " answered " + answer;
      PublishedModel model = models.model(id).orElseThrow();
      ModelOutput expected;
      try {
        expected = model.predict(features(request.get("features")));
      } catch (IllegalArgumentException e) {
        assertThat(answer.has("error")).as(what + "; Java refused it: " + e.getMessage()).isTrue();
        continue;
      }
      assertThat(answer.has("error")).as(what).isFalse();
      assertThat(answer.get("version").asLong()).as(what).isEqualTo(finalVersions.get(id));
      assertThat(answer.get("score").asDouble())
          .as(what)
          .isCloseTo(expected.score(), within(1e-12));
      assertThat(answer.get("value").asDouble())
          .as(what)
          .isCloseTo(expected.value(), within(1e-12));
      assertThat(answer.get("predictedClass").asInt())
          .as(what)
          .isEqualTo(expected.predictedClass());
      if (expected.probabilities() == null) {
        assertThat(answer.get("probabilities").isNull()).as(what).isTrue();
      } else {
        double[] p = new double[answer.get("probabilities").size()];
        for (int j = 0; j < p.length; j++) {
          p[j] = answer.get("probabilities").get(j).asDouble();
        }
        assertThat(p).as(what).containsExactly(expected.probabilities(), within(1e-12));
      }
      scored++;
    }
    assertThat(scored).as("requests scored").isGreaterThan(requests.size() / 2);
  }

  /** Requests to each model of {@code prefix}: fitting ones, and a few that do not fit. */
  static List<ObjectNode> requests(String prefix) {
    Random random = new Random(prefix.hashCode());
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(request(prefix + "-dense", "values", values(random, 3)));
      List<String> names = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        names.add("f" + random.nextInt(5000));
      }
      names.addAll(List.of("city=Zürich", "never-seen-" + i, names.get(0))); // a name twice adds up
      ObjectNode named = request(prefix + "-hashed", "values", ones(names.size()));
      names.forEach(features(named).putArray("names")::add);
      out.add(named);
      ObjectNode sparse =
          request(prefix + "-classes", "values", new double[] {random.nextDouble(), 1.5});
      features(sparse).putArray("indices").add(random.nextInt(4)).add(4 + random.nextInt(4));
      out.add(sparse);
      out.add(request(prefix + "-classes", "values", values(random, 8)));
    }
    out.add(request(prefix + "-dense", "values", values(random, 4))); // wrong dimension
    ObjectNode outOfRange = request(prefix + "-classes", "values", new double[] {1.0});
    features(outOfRange).putArray("indices").add(8);
    out.add(outOfRange);
    ObjectNode unhashed = request(prefix + "-dense", "values", new double[] {1.0});
    features(unhashed).putArray("names").add("f1");
    out.add(unhashed);
    return out;
  }

  static ObjectNode features(ObjectNode request) {
    return (ObjectNode) request.get("features");
  }

  static ObjectNode request(String modelId, String field, double[] values) {
    ObjectNode request = JSON.createObjectNode().put("modelId", modelId);
    ArrayNode array = request.putObject("features").putArray(field);
    for (double v : values) {
      array.add(v);
    }
    return request;
  }

  static double[] values(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  static double[] ones(int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, 1.0);
    return v;
  }

  /** A request's features as the Java core takes them. */
  static FeatureVector features(JsonNode f) {
    double[] values = new double[f.get("values").size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = f.get("values").get(i).asDouble();
    }
    if (f.has("names")) {
      String[] names = new String[f.get("names").size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = f.get("names").get(i).asText();
      }
      return FeatureVector.named(names, values);
    }
    if (f.has("indices")) {
      int[] indices = new int[f.get("indices").size()];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = f.get("indices").get(i).asInt();
      }
      return FeatureVector.sparse(indices, values);
    }
    return FeatureVector.dense(values);
  }

  /**
   * How many records of the models topic carry {@code version} of {@code modelId}. None carries its
   * spec: the examples score only if they find it on the published-specs topic.
   */
  long chunksOfVersion(String modelId, long version) throws Exception {
    long n = 0;
    for (ConsumerRecord<byte[], byte[]> r :
        new TopicIO(stack.bootstrapServers()).readAllCommitted(stack.topics().models())) {
      if (r.value() != null) {
        assertThat(r.value()[0])
            .as("first byte of a models record")
            .isEqualTo(publishedFirstByte());
        ModelUpdate u = modelCodec().decode(r.value());
        assertThat(u.getSpec())
            .as("spec of %s version %d on the models topic", u.getModelId(), u.getVersion())
            .isNull();
        n += u.getModelId().equals(modelId) && u.getVersion() == version ? 1 : 0;
      }
    }
    return n;
  }

  List<String> withFlags(List<String> command, String... more) {
    List<String> out = new ArrayList<>(command);
    out.addAll(List.of(more));
    out.addAll(List.of("--bootstrap-servers", stack.bootstrapServers()));
    out.addAll(framingFlags());
    return out;
  }

  static boolean runs(Path dir, String... command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs {@code command} in {@code dir} with {@code input}; its output's JSON lines. */
  List<JsonNode> run(Path dir, String name, List<String> command, String input) throws Exception {
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Path in = tmp.resolve(name + ".in");
    Files.writeString(in, input);
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          name + " did not end within " + TIMEOUT + ": " + Files.readString(err));
    }
    assertThat(p.exitValue())
        .as("%s's exit code; its error output:%n%s", name, Files.readString(err))
        .isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }
}
