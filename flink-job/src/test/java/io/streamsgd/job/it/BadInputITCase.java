package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.DoubleArrayView;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input mixed into valid data, on a job that may not restart: each bad record
 * lands in dead letters with its reason, counts add up, and the models equal those of a run over
 * the valid records alone; diverging models never publish a non-finite parameter.
 */
class BadInputITCase {
  /**
   * The shared MiniCluster (no restarts is a setting of the job, below), but a broker of its own:
   * dead letters name the topic they came from and the assertions name these topics as they are
   * ("samples-mixed", "model-specs"), names a shared broker cannot promise to leave free.
   */
  @RegisterExtension static final SharedKafkaFlink FLINK = new SharedKafkaFlink();

  static final int VALID = 200;
  static final Map<String, ModelSpec> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put(
        "dense", ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("dense", 3, 0.1, 10), 10));
    SPECS.put(
        "binary",
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("binary", 3, 0.5, 10), 10));
    SPECS.put(
        "sparse",
        ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("sparse", 100, 0.1, 10), 10));
    ModelSpec named =
        ModelSpecs.withFixedBatches(ModelSpecs.logisticRegression("named", 256, 0.5, 10), 10);
    named.setHashBits(8);
    SPECS.put("named", named);
    // learning rates far past stability: the guard refuses non-finite updates and backs the rate
    // off
    SPECS.put(
        "diverging",
        ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("diverging", 3, 1e12, 5), 5));
    ModelSpec guarded =
        ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("guarded", 3, 50, 5), 5);
    guarded.getDivergenceGuard().setLossFactor(4.0);
    SPECS.put("guarded", guarded);
  }

  static TrainingSample sample(String model, Object features, double label) {
    return TrainingSample.newBuilder()
        .setModelId(model)
        .setFeatures(features)
        .setLabel(label)
        .setEventTime(Instant.ofEpochMilli(1))
        .build();
  }

  static Object dense(double... x) {
    return new DenseFeatures(new DoubleArrayView(x));
  }

  static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(
        topic, 0, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** The valid samples of every model, interleaved, deterministic. */
  static List<TrainingSample> valid() {
    Random rnd = new Random(1);
    List<TrainingSample> out = new ArrayList<>();
    for (int i = 0; i < VALID; i++) {
      double a = rnd.nextDouble();
      double b = rnd.nextDouble();
      double c = rnd.nextDouble();
      out.add(sample("dense", dense(a, b, c), 2 * a - b + 0.5 * c));
      out.add(sample("binary", dense(a, b, c), a > b ? 1 : 0));
      int i1 = rnd.nextInt(50);
      out.add(
          sample(
              "sparse",
              new SparseFeatures(
                  List.of(i1, 50 + rnd.nextInt(50)), new DoubleArrayView(new double[] {a, b})),
              a - b));
      out.add(
          sample(
              "named",
              new NamedFeatures(
                  List.of("user=" + rnd.nextInt(20), "ad=" + rnd.nextInt(5)),
                  new DoubleArrayView(new double[] {1, 1})),
              c > 0.5 ? 1 : 0));
      out.add(sample("diverging", dense(a, b, c), 3 * a + 1));
      out.add(sample("guarded", dense(a, b, c), 3 * a + 1));
    }
    return out;
  }

  /** One record of every bad kind, with the reason it must get. */
  static Map<ProducerRecord<byte[], byte[]>, DeadLetterReason> bad(String topic) {
    Map<ProducerRecord<byte[], byte[]>, DeadLetterReason> bad = new LinkedHashMap<>();
    byte[] good = Codecs.TRAINING_SAMPLE.encode(sample("dense", dense(1, 2, 3), 1));
    byte[] otherSchema = good.clone();
    otherSchema[4] ^= 0x55;
    bad.put(
        record(topic, "dense", "not avro".getBytes(StandardCharsets.UTF_8)),
        DeadLetterReason.NOT_AVRO);
    bad.put(record(topic, "dense", null), DeadLetterReason.NOT_AVRO); // a tombstone
    bad.put(record(topic, "dense", otherSchema), DeadLetterReason.UNKNOWN_SCHEMA);
    bad.put(
        record(topic, "dense", Arrays.copyOf(good, good.length - 4)), DeadLetterReason.TRUNCATED);
    bad.put(
        record(topic, null, Codecs.TRAINING_SAMPLE.encode(sample("", dense(1, 2, 3), 1))),
        DeadLetterReason.MISSING_MODEL_ID);
    bad.put(
        record(topic, "x", Codecs.TRAINING_SAMPLE.encode(sample("no/such id", dense(1, 2, 3), 1))),
        DeadLetterReason.INVALID_MODEL_ID);
    bad.put(
        record(
            topic,
            "dense",
            Codecs.TRAINING_SAMPLE.encode(sample("dense", dense(1, Double.NaN, 3), 1))),
        DeadLetterReason.NON_FINITE_FEATURE);
    bad.put(
        record(
            topic,
            "dense",
            Codecs.TRAINING_SAMPLE.encode(
                sample("dense", dense(1, 2, 3), Double.POSITIVE_INFINITY))),
        DeadLetterReason.NON_FINITE_LABEL);
    TrainingSample weighted = sample("dense", dense(1, 2, 3), 1);
    weighted.setWeight(-1.0);
    bad.put(
        record(topic, "dense", Codecs.TRAINING_SAMPLE.encode(weighted)),
        DeadLetterReason.NON_FINITE_WEIGHT);
    bad.put(
        record(
            topic, "dense", Codecs.TRAINING_SAMPLE.encode(sample("dense", dense(1, 2, 3, 4), 1))),
        DeadLetterReason.WRONG_DIMENSION);
    bad.put(
        record(
            topic,
            "sparse",
            Codecs.TRAINING_SAMPLE.encode(
                sample("sparse", new SparseFeatures(List.of(3, 150), List.of(1.0, 1.0)), 1))),
        DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE);
    bad.put(
        record(
            topic,
            "sparse",
            Codecs.TRAINING_SAMPLE.encode(
                sample("sparse", new SparseFeatures(List.of(5, 3), List.of(1.0, 1.0)), 1))),
        DeadLetterReason.SPARSE_INDICES_UNSORTED);
    bad.put(
        record(
            topic,
            "sparse",
            Codecs.TRAINING_SAMPLE.encode(
                sample("sparse", new SparseFeatures(List.of(3, 3), List.of(1.0, 1.0)), 1))),
        DeadLetterReason.SPARSE_INDICES_UNSORTED); // duplicated
    bad.put(
        record(
            topic, "binary", Codecs.TRAINING_SAMPLE.encode(sample("binary", dense(1, 2, 3), 0.5))),
        DeadLetterReason.LABEL_OUT_OF_DOMAIN);
    bad.put(
        record(
            topic,
            "dense",
            Codecs.TRAINING_SAMPLE.encode(sample("dense", dense(new double[400]), 1))),
        DeadLetterReason.OVERSIZED);
    bad.put(
        record(
            topic,
            "dense",
            Codecs.TRAINING_SAMPLE.encode(
                sample("dense", new NamedFeatures(List.of("a"), List.of(1.0)), 1))),
        DeadLetterReason.NAMED_FEATURES_NOT_HASHED);
    bad.put(
        record(topic, "nobody", Codecs.TRAINING_SAMPLE.encode(sample("nobody", dense(1, 2, 3), 1))),
        DeadLetterReason.NO_SPEC);
    bad.put(
        record(topic, "dense", Codecs.TRAINING_SAMPLE.encode(sample("guarded", dense(1, 2, 3), 1))),
        DeadLetterReason.KEY_MISMATCH);
    return bad;
  }

  static Configuration options(EmbeddedKafkaBroker kafka, String run) {
    Configuration c = new Configuration();
    c.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.set(JobOptions.SAMPLES_TOPIC, "samples-" + run);
    c.set(JobOptions.MODELS_TOPIC, "models-" + run);
    c.set(JobOptions.DEAD_LETTERS_TOPIC, "dead-" + run);
    c.set(JobOptions.GROUP_ID, run);
    c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, run);
    c.set(JobOptions.BOUNDED, true);
    c.set(JobOptions.MAX_RECORD_BYTES, 2048);
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
    return c;
  }

  static void runWithoutRestarts(Configuration options) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    Configuration none = new Configuration();
    none.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any failure fails the test
    env.configure(none);
    StreamSgdJob.build(env, JobSettings.from(options));
    env.execute();
  }

  @Test
  void badRecordsBecomeDeadLettersAndChangeNothing(@TempDir Path tmp) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(tmp)) {
      TopicIO io = new TopicIO(kafka.bootstrapServers());
      for (String run : List.of("mixed", "clean")) {
        io.create("samples-" + run, 1, false);
        io.createModels("models-" + run, 1);
        io.create("dead-" + run, 1, false);
      }
      io.create("model-specs", 1, true);
      List<ProducerRecord<byte[], byte[]>> specs = new ArrayList<>();
      SPECS.forEach((id, s) -> specs.add(record("model-specs", id, Codecs.MODEL_SPEC.encode(s))));
      ModelSpec invalid = ModelSpecs.linearRegression("broken", 3, 0.1, 10);
      invalid.getOptimizer().setLearningRate(Double.NaN);
      specs.add(record("model-specs", "broken", Codecs.MODEL_SPEC.encode(invalid)));
      specs.add(record("model-specs", "junk", "not a spec".getBytes(StandardCharsets.UTF_8)));
      io.produce("model-specs", specs);

      List<TrainingSample> valid = valid();
      Map<ProducerRecord<byte[], byte[]>, DeadLetterReason> bad = bad("samples-mixed");
      List<ProducerRecord<byte[], byte[]>> mixed = new ArrayList<>();
      List<ProducerRecord<byte[], byte[]>> clean = new ArrayList<>();
      List<ProducerRecord<byte[], byte[]>> badRecords = new ArrayList<>(bad.keySet());
      for (int i = 0; i < valid.size(); i++) {
        byte[] bytes = Codecs.TRAINING_SAMPLE.encode(valid.get(i));
        // Records without a model-id key are decoded before the shuffle, the others in the
        // trainer: interleaved in one partition, they must train as the clean run does.
        String key = i % 5 == 1 ? null : i % 5 == 3 ? "user/" + i : valid.get(i).getModelId();
        mixed.add(record("samples-mixed", key, bytes));
        clean.add(record("samples-clean", valid.get(i).getModelId(), bytes));
        if (i % 50 == 7 && !badRecords.isEmpty()) {
          mixed.add(badRecords.remove(0));
        }
      }
      mixed.addAll(badRecords);
      io.produce("samples-mixed", mixed);
      io.produce("samples-clean", clean);

      runWithoutRestarts(options(kafka, "mixed"));
      runWithoutRestarts(options(kafka, "clean"));

      // every bad record is a dead letter with its reason; the broken specs too
      List<DeadLetter> letters = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r :
          io.readCommitted("dead-mixed", Duration.ofSeconds(20), l -> l.size() >= bad.size() + 2)) {
        letters.add(Codecs.DEAD_LETTER.decode(r.value()));
      }
      List<DeadLetterReason> fromSamples =
          letters.stream()
              .filter(d -> d.getTopic().equals("samples-mixed"))
              .map(DeadLetter::getReason)
              .sorted()
              .toList();
      assertThat(fromSamples).isEqualTo(bad.values().stream().sorted().toList());
      assertThat(
              letters.stream()
                  .filter(d -> d.getTopic().equals("model-specs"))
                  .map(DeadLetter::getReason))
          .containsExactly(DeadLetterReason.INVALID_SPEC, DeadLetterReason.INVALID_SPEC);
      assertThat(letters)
          .filteredOn(
              d -> d.getReason() == DeadLetterReason.NOT_AVRO && d.getOriginalValue() != null)
          .singleElement()
          .satisfies(
              d ->
                  assertThat(StandardCharsets.UTF_8.decode(d.getOriginalValue()).toString())
                      .isEqualTo("not avro"));

      // valid trained + dead letters = produced; the models equal those of the clean run
      Map<String, Long> all = new HashMap<>();
      SPECS.keySet().forEach(id -> all.put(id, (long) VALID));
      Map<String, List<ModelUpdate>> mixedModels =
          ReplayCheck.updatesByModel(
              io.readCommitted(
                  "models-mixed", Duration.ofSeconds(30), l -> ReplayCheck.allSeen(l, all)));
      Map<String, List<ModelUpdate>> cleanModels =
          ReplayCheck.updatesByModel(
              io.readCommitted(
                  "models-clean", Duration.ofSeconds(30), l -> ReplayCheck.allSeen(l, all)));
      long trained =
          mixedModels.values().stream().mapToLong(u -> u.get(u.size() - 1).getSamplesSeen()).sum();
      assertThat(trained + fromSamples.size()).isEqualTo(mixed.size());
      for (String id : SPECS.keySet()) {
        ModelUpdate a = mixedModels.get(id).get(mixedModels.get(id).size() - 1);
        ModelUpdate b = cleanModels.get(id).get(cleanModels.get(id).size() - 1);
        assertThat(a.getParameters()).as(id).isEqualTo(b.getParameters());
        assertThat(a.getVersion()).isEqualTo(b.getVersion());
      }

      // the diverging models never published a non-finite parameter, and say what the guard did
      for (String id : List.of("diverging", "guarded")) {
        for (ModelUpdate u : mixedModels.get(id)) {
          assertThat(u.getParameters().getWeights())
              .allSatisfy(w -> assertThat(Double.isFinite(w)).isTrue());
          assertThat(Double.isFinite(u.getParameters().getIntercepts().get(0))).isTrue();
        }
        ModelUpdate last = mixedModels.get(id).get(mixedModels.get(id).size() - 1);
        assertThat(last.getRejectedBatches()).as("%s rejected batches", id).isPositive();
        assertThat(last.getLearningRateScale()).as("%s rate backed off", id).isLessThan(1.0);
      }
    }
  }
}
