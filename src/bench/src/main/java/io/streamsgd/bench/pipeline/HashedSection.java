package io.streamsgd.bench.pipeline;

import io.streamsgd.bench.kernel.HashedExamples;
import io.streamsgd.bench.kernel.VowpalWabbitHashedPeer;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.PublicationPolicySpec;
import io.streamsgd.schema.TimeDomain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hashed section: a logistic model of 2^20 hashed weights trained per sample (batches of 1)
 * against batches of 64, for 1 and for 1,000 models, on {@link HashedExamples} (20 named features a
 * sample); the decode ceiling of the same records; and Vowpal Wabbit on the same examples through
 * its array and text paths. Every figure comes from the same run.
 */
final class HashedSection {
  static final int HASH_BITS = 20;
  static final double LEARNING_RATE = 0.1;
  static final List<Integer> MODELS = List.of(1, 1000);
  static final List<Integer> BATCHES = List.of(1, 64);

  /**
   * A busy model publishes every 16,384 samples: a whole model of up to 40,000 columns (about 440
   * KB) then costs under 30 bytes a sample, a tenth of the sample itself.
   */
  static final int MAX_PUBLISH_EVERY = 16_384;

  /**
   * The bench sees a run's progress only in what it publishes, so each model publishes at least
   * this many times a run, more often than {@link #MAX_PUBLISH_EVERY} when it has few samples.
   */
  static final int MIN_PUBLICATIONS = 8;

  /** The goal for batch 1 against batch 64 and against the decode ceiling. */
  static final double GOAL = 0.8;

  private final PipelineBench bench;
  private final List<Workload> workloads = new ArrayList<>();

  HashedSection(PipelineBench bench, long records) {
    this.bench = bench;
    for (int models : MODELS) {
      workloads.add(Workload.hashed(models, HASH_BITS, records));
    }
  }

  List<Workload> workloads() {
    return workloads;
  }

  /**
   * Samples of a model between publications: a power of two (so batches of 1 and of 64 publish
   * after the same samples), at most {@link #MAX_PUBLISH_EVERY}, at least 64.
   */
  static int publishEvery(Workload w) {
    long perModel = w.records() / w.models() / MIN_PUBLICATIONS;
    int every = Integer.highestOneBit((int) Math.max(1, Math.min(MAX_PUBLISH_EVERY, perModel)));
    return Math.max(every, BATCHES.get(BATCHES.size() - 1));
  }

  /**
   * Logistic loss, plain SGD at a constant rate whatever the batch, fixed batches, published after
   * every {@code publishEvery} samples by count: no time bound, so which versions are published is
   * decided at updates alone, the same in every run, and the bench knows when the last one is out.
   */
  static ModelSpec spec(int batch, int publishEvery) {
    ModelSpec base =
        ModelSpecs.withFixedBatches(
            ModelSpecs.logisticRegression("default", 1 << HASH_BITS, LEARNING_RATE, batch), batch);
    return SpecValidator.requireValid(
        ModelSpec.newBuilder(base)
            .setHashBits(HASH_BITS)
            .setPublication(
                PublicationPolicySpec.newBuilder()
                    .setEveryUpdates(publishEvery / batch)
                    .setEveryMs(0)
                    .setTimeDomain(TimeDomain.EVENT_TIME)
                    .build())
            .build());
  }

  /** The decode ceilings and the trainer runs, on the bench cluster. */
  Map<String, Object> onCluster(BenchCluster cluster, Path workDir) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "workload",
        Map.of(
            "hashBits",
            HASH_BITS,
            "featuresPerSample",
            HashedExamples.FEATURES,
            "vocabulary",
            HashedExamples.VOCABULARY,
            "zipfExponent",
            HashedExamples.ZIPF_EXPONENT,
            "records",
            workloads.get(0).records(),
            "spec",
            "logistic, SGD constant " + LEARNING_RATE + ", fixed batches",
            "publication",
            "every publishEverySamples samples of a model (count only)"));
    List<Map<String, Object>> ceilings = new ArrayList<>();
    if (cluster.local()) {
      for (Workload w : workloads) {
        bench.step(
            "hashed: decode ceiling of %s (Flink KafkaSource -> the trainer's decoder -> discard)",
            w.name());
        Ceilings.Rate decode =
            Ceilings.decode(
                cluster, w.topic(), workDir.resolve("marks-" + w.name()), w.records(), bench.cpu());
        bench.step("  %,.0f records/s", decode.recordsPerSecond());
        ceilings.add(
            Map.of(
                "models", w.models(),
                "recordsPerSecond", decode.recordsPerSecond(),
                "records", decode.records()));
      }
    } else {
      bench.step("hashed: decode ceilings skipped on an existing cluster");
    }
    out.put("decodeCeilings", ceilings);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Workload w : workloads) {
      int every = publishEvery(w);
      for (int batch : BATCHES) {
        Map<String, Object> r =
            bench.endToEnd(
                w.name() + "-batch" + batch,
                w,
                batch,
                spec(batch, every),
                PipelineBench.expectedTrained(w, every),
                StateBackendKind.HASHMAP,
                SinkGuarantee.EXACTLY_ONCE,
                true,
                false);
        r.put("publishEverySamples", every);
        runs.add(r);
      }
    }
    out.put("endToEnd", runs);
    return out;
  }

  /**
   * Vowpal Wabbit on the examples the single model's last published version was trained on, both
   * paths; off the cluster, like the other peer.
   */
  Map<String, Object> vowpalWabbit(Map<String, Object> section) throws Exception {
    long n =
        BenchReport.list(section, "endToEnd").stream()
            .filter(r -> r.get("models").equals(1))
            .mapToLong(r -> (Long) r.get("trainedSamples"))
            .findFirst()
            .orElse(workloads.get(0).records());
    VowpalWabbitHashedPeer vw = new VowpalWabbitHashedPeer(Workload.SEED);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("learner", "Vowpal Wabbit 9.3.0 (JNI), " + VowpalWabbitHashedPeer.ARGS);
    out.put("examples", n);
    bench.step("hashed: Vowpal Wabbit, warm-up (JIT, native library)");
    vw.arrays(Math.min(n, 100_000));
    vw.text(Math.min(n, 100_000));
    bench.step(
        "hashed: Vowpal Wabbit 9.3.0, native example API (sparse namespace), %,d examples", n);
    out.put("arrays", pass(vw.arrays(n)));
    bench.step("hashed: Vowpal Wabbit 9.3.0, text learner, %,d examples", n);
    out.put("text", pass(vw.text(n)));
    return out;
  }

  private Map<String, Object> pass(VowpalWabbitHashedPeer.Pass p) {
    bench.step(
        "  %,.0f examples/s, progressive log loss %.5f",
        p.examplesPerSecond(), p.progressiveLogLoss());
    return Map.of(
        "examplesPerSecond", p.examplesPerSecond(),
        "seconds", p.seconds(),
        "progressiveLogLoss", p.progressiveLogLoss());
  }

  /** Batch 1 against batch 64, the decode ceiling and Vowpal Wabbit, with the goals. */
  List<Map<String, Object>> ratios(Map<String, Object> section) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, Object>> runs = BenchReport.list(section, "endToEnd");
    for (int models : MODELS) {
      Double one = rate(runs, models, 1);
      Double many = rate(runs, models, 64);
      String who = models == 1 ? "1 model" : String.format(Locale.ROOT, "%,d models", models);
      if (one != null && many != null) {
        out.add(ratio("batch 1 / batch 64, " + who, one / many, GOAL));
      }
      Double ceiling =
          BenchReport.list(section, "decodeCeilings").stream()
              .filter(c -> c.get("models").equals(models))
              .map(c -> (Double) c.get("recordsPerSecond"))
              .findFirst()
              .orElse(null);
      if (one != null && ceiling != null) {
        out.add(ratio("batch 1 / source + decode + discard, " + who, one / ceiling, GOAL));
      }
    }
    Double single = rate(runs, 1, 1);
    for (String path : List.of("arrays", "text")) {
      Map<String, Object> vw = BenchReport.map(section, "vowpalWabbit", path);
      if (single != null && vw != null) {
        out.add(
            ratio(
                "batch 1, 1 model / Vowpal Wabbit " + path + " in memory",
                single / (Double) vw.get("examplesPerSecond"),
                null));
      }
    }
    out.forEach(
        r ->
            bench.step(
                "hashed: %s = %.2f%s",
                r.get("ratio"),
                (Double) r.get("value"),
                r.containsKey("goal")
                    ? String.format(
                        Locale.ROOT,
                        " (goal >= %.1f: %s)",
                        (Double) r.get("goal"),
                        (Boolean) r.get("met") ? "met" : "not met")
                    : ""));
    return out;
  }

  private static Double rate(List<Map<String, Object>> runs, int models, int batch) {
    return runs.stream()
        .filter(r -> r.get("models").equals(models) && r.get("batch").equals(batch))
        .map(r -> (Double) r.get("samplesPerSecond"))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, Object> ratio(String what, double value, Double goal) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ratio", what);
    r.put("value", value);
    if (goal != null) {
      r.put("goal", goal);
      r.put("met", value >= goal);
    }
    return r;
  }
}
