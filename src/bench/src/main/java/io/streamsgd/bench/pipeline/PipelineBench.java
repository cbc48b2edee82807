package io.streamsgd.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsgd.bench.kernel.LogisticData;
import io.streamsgd.bench.kernel.VowpalWabbitPeer;
import io.streamsgd.job.config.RecordKey;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end benchmark: ceilings, the trainer's throughput for several workloads, latency,
 * state size and checkpoint time for many models, and Vowpal Wabbit on the same samples, all in one
 * run on one machine, as a JSON-ready map.
 */
public final class PipelineBench {
  /** What the job reads a sample's record key as, unless told otherwise. */
  private static final RecordKey DEFAULT_RECORD_KEY =
      io.streamsgd.job.config.JobOptions.RECORD_KEY.defaultValue();

  /** What to run. */
  public record Settings(
      long records,
      long manyModelRecords,
      int manyModels,
      int partitions,
      double latencySeconds,
      List<Double> latencyRate,
      int vwExamples,
      Path workDir,
      Path jobJar,
      Set<String> sections,
      External external) {}

  /** An existing Kafka cluster and Flink cluster to run on instead of starting both. */
  public record External(
      String bootstrapServers,
      Map<String, String> kafkaProperties,
      String flinkRestUrl,
      int parallelism) {}

  static final int DIMENSION = 64;
  static final int BATCH = 64;
  static final int LATENCY_MODELS = 100;

  /** Produced at the same rate before measuring: JIT compilation and the first checkpoints. */
  /**
   * A run's first job meets cold JVMs (JIT compilation takes CPU for tens of seconds on 2 cores):
   * the warm-up lasts until the pipeline has caught up, between these bounds.
   */
  static final double LATENCY_WARMUP_SECONDS = 30;

  static final double LATENCY_MAX_WARMUP_SECONDS = 150;
  static final Duration LATENCY_BUFFER_TIMEOUT = Duration.ofMillis(5);

  /**
   * Dense updates hardly compress, and LZ4 set-up per small producer batch was ~9 % of the
   * TaskManager's CPU.
   */
  static final io.streamsgd.job.config.SinkCompression LATENCY_COMPRESSION =
      io.streamsgd.job.config.SinkCompression.NONE;

  static final int SPARSE_BUCKET_BITS = 16;
  static final int SPARSE_NON_ZEROS = 30;
  static final int SPARSE_BATCH = 1024;
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

  private final Settings settings;
  private final PrintWriter out;
  private BenchCluster cluster;
  private MachineCpu cpu;
  private Map<String, Object> client;

  public PipelineBench(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** The CPU sampler of the running cluster. */
  MachineCpu cpu() {
    return cpu;
  }

  public Map<String, Object> run() throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("maxHeapOfThisJvmMiB", Runtime.getRuntime().maxMemory() >> 20);
    report.put(
        "setup",
        Map.of(
            "kafka",
            settings.external() == null
                ? "one broker process (KRaft), "
                    + settings.partitions()
                    + " partitions per input topic"
                : settings.external().bootstrapServers()
                    + ", "
                    + settings.partitions()
                    + " partitions per input topic",
            "flink",
            settings.external() == null
                ? "standalone cluster: JobManager + one TaskManager with 2 slots, separate JVMs; job parallelism 2"
                : settings.external().flinkRestUrl()
                    + "; job parallelism "
                    + settings.external().parallelism(),
            "checkpointIntervalMs",
            CHECKPOINT_INTERVAL.toMillis(),
            "spec",
            "logistic regression, AdaGrad lr 0.07, fixed batches (size per workload below)"));
    Workload dense = Workload.dense(1000, DIMENSION, settings.records());
    Workload single = Workload.dense(1, DIMENSION, settings.records());
    Workload many = Workload.dense(settings.manyModels(), DIMENSION, settings.manyModelRecords());
    // Hashed sparse features: 2^16 buckets, not 2^20, because a model is published whole and
    // dense (2^20 doubles would be an 8 MB record per update); see the README's limits.
    Workload sparse =
        Workload.sparse(1, 1 << SPARSE_BUCKET_BITS, SPARSE_NON_ZEROS, settings.records() / 2);
    HashedSection hashed =
        settings.sections().contains("hashed") ? new HashedSection(this, settings.records()) : null;
    Map<String, Object> hashedReport = null;
    step(
        "starting a Kafka broker process and a Flink cluster (JobManager + TaskManager processes)");
    External ext = settings.external();
    if (ext != null) {
      step(
          "using the Kafka cluster at %s and the Flink cluster at %s (parallelism %d)",
          ext.bootstrapServers(), ext.flinkRestUrl(), ext.parallelism());
    }
    try (BenchCluster c =
        ext == null
            ? new BenchCluster(settings.workDir(), settings.jobJar(), 2, "6g")
            : new BenchCluster(
                ext.bootstrapServers(),
                ext.kafkaProperties(),
                ext.flinkRestUrl(),
                settings.jobJar(),
                ext.parallelism())) {
      cluster = c;
      cpu = MachineCpu.start(c.processes());
      client = c.clientProperties();
      TopicLoader loader = new TopicLoader(client);
      Map<String, Object> loaded = new LinkedHashMap<>();
      List<Workload> inputs = needed(dense, single, many, sparse);
      if (hashed != null) {
        inputs.addAll(hashed.workloads());
      }
      for (Workload w : inputs) {
        step("pre-loading %,d samples of %s", w.records(), w.name());
        TopicLoader.Loaded l = loader.load(w, settings.partitions());
        loaded.put(
            w.name(),
            Map.of(
                "records",
                l.records(),
                "bytes",
                l.bytes(),
                "meanRecordBytes",
                l.bytes() / (double) l.records()));
      }
      report.put("inputs", loaded);

      if (settings.sections().contains("ceilings")) {
        // Each ceiling is measured on its second run: the first one on a fresh cluster pays for
        // the JIT compiling the Kafka client, Flink's runtime and the decoder, which every trainer
        // run after it finds done (a cold decode ceiling once cost 9.8 µs of CPU per sample where
        // the whole trainer then cost 6.4).
        step(
            "ceiling 1: a plain KafkaConsumer reading %s (twice, the second measured)",
            dense.topic());
        Ceilings.Rate rawCold = Ceilings.rawConsumer(client, dense.topic(), cpu);
        Ceilings.Rate raw = Ceilings.rawConsumer(client, dense.topic(), cpu);
        step(
            "  %,.0f records/s, %.1f MB/s (first run %,.0f records/s)",
            raw.recordsPerSecond(), raw.bytesPerSecond() / 1e6, rawCold.recordsPerSecond());
        Map<String, Object> ceilings = new LinkedHashMap<>();
        Map<String, Object> rawReport = new LinkedHashMap<>();
        rawReport.put("recordsPerSecond", raw.recordsPerSecond());
        rawReport.put("firstRunRecordsPerSecond", rawCold.recordsPerSecond());
        rawReport.put("bytesPerSecond", raw.bytesPerSecond());
        rawReport.put("records", raw.records());
        putCpu(rawReport, raw.busyCores(), raw.recordsPerSecond());
        ceilings.put("rawConsumer", rawReport);
        if (c.local()) {
          step(
              "ceiling 2: Flink KafkaSource -> the trainer's decoder -> discard (parallelism %d;"
                  + " twice, the second measured)",
              c.slots);
          Ceilings.Rate decodeCold =
              Ceilings.decode(
                  c, dense.topic(), settings.workDir().resolve("marks"), dense.records(), cpu);
          Ceilings.Rate decode =
              Ceilings.decode(
                  c, dense.topic(), settings.workDir().resolve("marks"), dense.records(), cpu);
          step(
              "  %,.0f records/s (first run %,.0f records/s)",
              decode.recordsPerSecond(), decodeCold.recordsPerSecond());
          Map<String, Object> decodeReport = new LinkedHashMap<>();
          decodeReport.put("recordsPerSecond", decode.recordsPerSecond());
          decodeReport.put("firstRunRecordsPerSecond", decodeCold.recordsPerSecond());
          decodeReport.put("records", decode.records());
          putCpu(decodeReport, decode.busyCores(), decode.recordsPerSecond());
          ceilings.put("sourceDecodeDiscard", decodeReport);
        } else {
          // The discarding sink notes its timings in files on the TaskManagers' machines.
          step(
              "ceiling 2: skipped on an existing cluster (its timings are written on the TaskManagers' machines)");
        }
        report.put("ceilings", ceilings);
      }

      List<Map<String, Object>> runs = new ArrayList<>();
      if (settings.sections().contains("throughput")) {
        runs.add(endToEnd(single, StateBackendKind.HASHMAP, SinkGuarantee.EXACTLY_ONCE, false));
        // The same workload at-least-once first: it warms the cluster up for the A/B after it (the
        // first run on these samples was the slowest of an A/B in every run measured).
        runs.add(endToEnd(dense, StateBackendKind.HASHMAP, SinkGuarantee.AT_LEAST_ONCE, false));
        // Where samples are decoded, A/B in the order ABBA so that neither side gains from a
        // warmer cluster: keyed by model id and decoded in the trainer (the job's default), or
        // with the record keys ignored, decoded before the shuffle and serialized across it.
        runs.add(recordKeyRun(dense, RecordKey.MODEL_ID, 1));
        runs.add(recordKeyRun(dense, RecordKey.IGNORED, 1));
        runs.add(recordKeyRun(dense, RecordKey.IGNORED, 2));
        runs.add(recordKeyRun(dense, RecordKey.MODEL_ID, 2));
        runs.add(endToEnd(sparse, StateBackendKind.HASHMAP, SinkGuarantee.EXACTLY_ONCE, false));
      }
      if (settings.sections().contains("scale")) {
        runs.add(endToEnd(many, StateBackendKind.HASHMAP, SinkGuarantee.EXACTLY_ONCE, true));
        runs.add(endToEnd(many, StateBackendKind.ROCKSDB, SinkGuarantee.EXACTLY_ONCE, true));
      }
      report.put("endToEnd", runs);
      if (settings.sections().contains("profile") && !c.local()) {
        step("profile: skipped, it records a TaskManager process on this machine");
      } else if (settings.sections().contains("profile")) {
        step(
            "profile: the 1,000-model exactly-once run again, with a flight recording of the TaskManager");
        Map<String, Object> p =
            endToEnd(
                dense,
                StateBackendKind.HASHMAP,
                SinkGuarantee.EXACTLY_ONCE,
                false,
                true,
                DEFAULT_RECORD_KEY,
                1);
        report.put("profile", p);
        @SuppressWarnings("unchecked")
        Map<String, Double> parts =
            (Map<String, Double>) ((Map<String, Object>) p.get("profile")).get("shareByPart");
        parts.forEach((part, share) -> step("  %5.1f %%  %s", share, part));
      }

      if (hashed != null) {
        hashedReport = hashed.onCluster(c, settings.workDir());
        report.put("hashed", hashedReport);
      }

      if (settings.sections().contains("latency")) {
        double max =
            runs.stream()
                .filter(
                    r ->
                        r.get("workload").equals(dense.name())
                            && r.get("guarantee").equals("EXACTLY_ONCE"))
                .mapToDouble(r -> (double) r.get("samplesPerSecond"))
                .findFirst()
                .orElse(20_000.0);
        // Half the maximum is the load the targets name; the latency workload closes a batch every
        // 20 ms, so it makes several times the updates of the maximum's and a lower rate shows it
        // below its own capacity.
        List<Double> rates =
            settings.latencyRate() != null && !settings.latencyRate().isEmpty()
                ? settings.latencyRate()
                : settings.sections().contains("throughput")
                    ? List.of(Math.floor(max / 6 / 100) * 100, Math.floor(max / 2 / 100) * 100)
                    : List.of(10_000.0);
        List<Map<String, Object>> latency = new ArrayList<>();
        for (double rate : rates) {
          for (SinkGuarantee g : List.of(SinkGuarantee.AT_LEAST_ONCE, SinkGuarantee.EXACTLY_ONCE)) {
            latency.add(latency(rate, g));
          }
        }
        report.put("latency", latency);
      }
    } finally {
      cluster = null;
      if (cpu != null) {
        cpu.close();
      }
    }
    if (settings.sections().contains("peer")) {
      report.put("peer", vowpalWabbit());
    }
    if (hashedReport != null) {
      hashedReport.put("vowpalWabbit", hashed.vowpalWabbit(hashedReport));
      hashedReport.put("ratios", hashed.ratios(hashedReport));
    }
    report.put("ratios", ratios(report));
    return report;
  }

  /** The end-to-end 1,000-model exactly-once figure against the ceilings and the peer. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> ratios(Map<String, Object> report) {
    Map<String, Object> out = new LinkedHashMap<>();
    // The 1,000-model exactly-once figure is the mean of the runs under the job's default.
    Double keyed = denseThousandMean(report, RecordKey.MODEL_ID);
    Double decodedBefore = denseThousandMean(report, RecordKey.IGNORED);
    Double e2e = DEFAULT_RECORD_KEY == RecordKey.MODEL_ID ? keyed : decodedBefore;
    if (keyed != null && decodedBefore != null) {
      out.put(
          "end to end (dense, 1,000 models, exactly-once): keyed by model id, decoded in the"
              + " trainer / decoded before the shuffle",
          keyed / decodedBefore);
    }
    Map<String, Double> scale = new HashMap<>();
    for (Map<String, Object> r :
        (List<Map<String, Object>>) report.getOrDefault("endToEnd", List.of())) {
      if (((Number) r.get("models")).intValue() >= 100_000) {
        scale.put((String) r.get("stateBackend"), (Double) r.get("samplesPerSecond"));
      }
    }
    if (scale.containsKey("ROCKSDB") && scale.containsKey("HASHMAP")) {
      out.put(
          "end to end (dense, 100,000 models, exactly-once): RocksDB / heap",
          scale.get("ROCKSDB") / scale.get("HASHMAP"));
    }
    Map<String, Map<String, Object>> ceilings =
        (Map<String, Map<String, Object>>) report.get("ceilings");
    Map<String, Object> peer = (Map<String, Object>) report.get("peer");
    if (e2e != null && ceilings != null) {
      if (ceilings.containsKey("sourceDecodeDiscard")) {
        out.put(
            "end to end (dense, 1,000 models, exactly-once) / source + decode + discard",
            e2e / (Double) ceilings.get("sourceDecodeDiscard").get("recordsPerSecond"));
      }
      out.put(
          "end to end (dense, 1,000 models, exactly-once) / plain consumer",
          e2e / (Double) ceilings.get("rawConsumer").get("recordsPerSecond"));
      // On a machine whose cores are all busy, rates stand in the inverse ratio of what a sample
      // costs all processes together: the bound the rate ratios above meet.
      Double e2eMicros =
          denseThousandMean(report, DEFAULT_RECORD_KEY, PipelineBench::machineMicros);
      for (var c :
          List.of(
              Map.entry("sourceDecodeDiscard", "source + decode + discard"),
              Map.entry("rawConsumer", "plain consumer"))) {
        Map<String, Object> ceiling = ceilings.get(c.getKey());
        double ratio =
            ceiling == null || e2eMicros == null ? Double.NaN : machineMicros(ceiling) / e2eMicros;
        if (!Double.isNaN(ratio)) {
          out.put(
              "CPU per sample, all processes: "
                  + c.getValue()
                  + " / end to end (dense, 1,000 models, exactly-once)",
              ratio);
        }
      }
    }
    if (e2e != null && peer != null) {
      out.put(
          "end to end (dense, 1,000 models, exactly-once) / Vowpal Wabbit in memory",
          e2e / (Double) peer.get("examplesPerSecond"));
    }
    return out;
  }

  /** Mean rate of the dense 1,000-model exactly-once runs with {@code recordKey}, or null. */
  private static Double denseThousandMean(Map<String, Object> report, RecordKey recordKey) {
    return denseThousandMean(report, recordKey, r -> (Double) r.get("samplesPerSecond"));
  }

  /** The machine's CPU microseconds per sample of a run or ceiling, NaN without them. */
  @SuppressWarnings("unchecked")
  private static double machineMicros(Map<String, Object> r) {
    Map<String, Double> micros = (Map<String, Double>) r.get("cpuMicrosPerSample");
    return micros == null ? Double.NaN : micros.getOrDefault(MachineCpu.MACHINE, Double.NaN);
  }

  /** Mean of {@code value} over the dense 1,000-model exactly-once runs, or null. */
  @SuppressWarnings("unchecked")
  private static Double denseThousandMean(
      Map<String, Object> report,
      RecordKey recordKey,
      java.util.function.ToDoubleFunction<Map<String, Object>> value) {
    return ((List<Map<String, Object>>) report.getOrDefault("endToEnd", List.of()))
        .stream()
            .filter(
                r ->
                    r.get("models").equals(1000)
                        && r.get("guarantee").equals("EXACTLY_ONCE")
                        && r.get("features").equals("dense")
                        && recordKey.name().equals(r.getOrDefault("recordKey", "MODEL_ID")))
            .mapToDouble(value)
            .average()
            .stream()
            .boxed()
            .findFirst()
            .orElse(null);
  }

  /** The workloads the chosen sections read. */
  private List<Workload> needed(Workload dense, Workload single, Workload many, Workload sparse) {
    Set<String> chosen = settings.sections();
    List<Workload> out = new ArrayList<>();
    if (chosen.contains("ceilings")
        || chosen.contains("throughput")
        || chosen.contains("profile")) {
      out.add(dense);
    }
    if (chosen.contains("throughput")) {
      out.addAll(List.of(single, sparse));
    }
    if (chosen.contains("scale")) {
      out.add(many);
    }
    return out;
  }

  /** Batch size for a workload: 64, or less so that every model closes at least two batches. */
  static int batchFor(Workload w) {
    if (w.sparse()) {
      return SPARSE_BATCH; // every update carries all 2^16 weights: fewer, larger batches
    }
    long perModel = w.records() / w.models();
    return (int) Math.max(1, Math.min(BATCH, perModel / 2));
  }

  /**
   * Samples that end up in published versions: every model's samples in whole units of {@code
   * unit}, its batch when every update is published, else the samples between publications.
   */
  static long expectedTrained(Workload w, int unit) {
    long base = w.records() / w.models();
    long extra = w.records() % w.models();
    return (w.models() - extra) * (base / unit * unit) + extra * ((base + 1) / unit * unit);
  }

  private Map<String, Object> endToEnd(
      Workload w, StateBackendKind backend, SinkGuarantee guarantee, boolean scale)
      throws Exception {
    return endToEnd(w, backend, guarantee, scale, false, DEFAULT_RECORD_KEY, 1);
  }

  /** The dense exactly-once run with {@code recordKey}, the {@code repeat}-th time. */
  private Map<String, Object> recordKeyRun(Workload w, RecordKey recordKey, int repeat)
      throws Exception {
    return endToEnd(
        w, StateBackendKind.HASHMAP, SinkGuarantee.EXACTLY_ONCE, false, false, recordKey, repeat);
  }

  private Map<String, Object> endToEnd(
      Workload w,
      StateBackendKind backend,
      SinkGuarantee guarantee,
      boolean scale,
      boolean profiled,
      RecordKey recordKey,
      int repeat)
      throws Exception {
    int batch = batchFor(w);
    String name =
        w.name()
            + "-"
            + backend.name().toLowerCase(Locale.ROOT)
            + "-"
            + (guarantee == SinkGuarantee.EXACTLY_ONCE ? "eo" : "alo")
            + (profiled ? "-profiled" : "")
            + (recordKey == RecordKey.IGNORED ? "-keys-ignored" : "")
            + (repeat > 1 ? "-" + repeat : "");
    Map<String, Object> r =
        endToEnd(
            name,
            w,
            batch,
            w.spec(batch),
            expectedTrained(w, batch),
            backend,
            guarantee,
            scale,
            profiled,
            recordKey);
    r.put("repeat", repeat);
    return r;
  }

  /**
   * One trainer run from the input topic to committed model updates: {@code expected} is how many
   * samples the models' last published versions will have seen (the run ends there).
   */
  Map<String, Object> endToEnd(
      String name,
      Workload w,
      int batch,
      ModelSpec spec,
      long expected,
      StateBackendKind backend,
      SinkGuarantee guarantee,
      boolean checkpoints,
      boolean profiled)
      throws Exception {
    return endToEnd(
        name,
        w,
        batch,
        spec,
        expected,
        backend,
        guarantee,
        checkpoints,
        profiled,
        DEFAULT_RECORD_KEY);
  }

  /** As above, the samples' record keys read as {@code recordKey} says. */
  Map<String, Object> endToEnd(
      String name,
      Workload w,
      int batch,
      ModelSpec spec,
      long expected,
      StateBackendKind backend,
      SinkGuarantee guarantee,
      boolean checkpoints,
      boolean profiled,
      RecordKey recordKey)
      throws Exception {
    step(
        "end to end: %s (%s, %s, batch %d): %,d samples to committed model updates",
        w.name(), backend, guarantee, batch, w.records());
    TrainerRun run =
        new TrainerRun(
                name, cluster.kafkaArgs(), w.topic(), spec, guarantee, backend, CHECKPOINT_INTERVAL)
            .recordKey(recordKey);
    Map<String, double[]> losses = new HashMap<>();
    run.createTopics(client, settings.partitions());
    Map<String, Object> r = new LinkedHashMap<>();
    try (ModelsProbe probe = new ModelsProbe(client, run.models, (u, t) -> track(losses, u))) {
      String jobId = run.submit(cluster);
      try {
        CpuProfile profile =
            profiled
                ? CpuProfile.start(
                    cluster.flink.taskManagers().get(0).pid(),
                    settings.workDir().resolve(name + ".jfr"))
                : null;
        awaitTrained(probe, jobId, expected, name);
        if (profile != null) {
          r.put("profile", profile.stop());
        }
        double rate = probe.progress.rate(expected, 0.1, 0.9);
        double[] window = probe.progress.window(expected, 0.1, 0.9);
        long published = topicBytes(run.models);
        step(
            "  %,.0f samples/s (%,d model updates, %,.1f MB published)",
            rate, probe.updates(), published / 1e6);
        r.put("workload", w.name());
        r.put("profiled", profiled);
        r.put("models", w.models());
        r.put("features", w.features().name().toLowerCase(Locale.ROOT));
        r.put("dimension", w.dimension());
        r.put("batch", batch);
        r.put("stateBackend", backend.name());
        r.put("guarantee", guarantee.name());
        r.put("recordKey", recordKey.name());
        r.put("records", w.records());
        r.put("trainedSamples", expected);
        r.put("samplesPerSecond", rate);
        r.put("modelUpdates", probe.updates());
        r.put("publishedBytes", published);
        r.put("prequentialLogLoss", meanLoss(losses));
        r.put("deadLetters", records(run.deadLetters));
        if (window != null) {
          putCpu(r, cpu.busyCores((long) window[0], (long) window[1]), rate);
        }
        if (checkpoints) {
          r.put("checkpoints", checkpoints(jobId));
        }
      } finally {
        cluster.stop(jobId);
      }
    }
    return r;
  }

  /**
   * The busy cores of the machine and of each process over a run's measured window, and the CPU
   * microseconds per sample they make at its rate (nothing when they could not be read).
   */
  static void putCpu(Map<String, Object> r, Map<String, Double> busyCores, double rate) {
    if (busyCores.isEmpty() || !(rate > 0)) {
      return;
    }
    r.put("busyCores", busyCores);
    r.put("cpuMicrosPerSample", MachineCpu.microsPerRecord(busyCores, rate));
  }

  /**
   * Bytes a topic holds on the brokers, each partition counted once (its largest replica): what a
   * run published.
   */
  private long topicBytes(String topic) throws Exception {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(client)) {
      List<Integer> brokers =
          admin.describeCluster().nodes().get().stream()
              .map(org.apache.kafka.common.Node::id)
              .toList();
      Map<org.apache.kafka.common.TopicPartition, Long> sizes = new HashMap<>();
      for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var dir : dirs.values()) {
          dir.replicaInfos()
              .forEach(
                  (partition, replica) -> {
                    if (partition.topic().equals(topic)) {
                      sizes.merge(partition, replica.size(), Math::max);
                    }
                  });
        }
      }
      return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Records in a topic (sum of its partitions' end offsets): the dead letters of a run must be
   * none.
   */
  private long records(String topic) {
    Map<String, Object> config = new HashMap<>(client);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private void awaitTrained(ModelsProbe probe, String jobId, long expected, String name)
      throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (!probe.await(expected, Duration.ofSeconds(1))) {
      cluster.checkRunning(jobId);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + ": "
                + probe.total()
                + " of "
                + expected
                + " samples trained within "
                + RUN_TIMEOUT);
      }
    }
  }

  private static synchronized void track(Map<String, double[]> losses, ModelUpdate u) {
    double[] held = losses.get(u.getModelId());
    if (held == null || held[2] < u.getSamplesSeen()) {
      losses.put(
          u.getModelId(),
          new double[] {
            u.getMetrics().getLossSum(), u.getMetrics().getWeightSum(), u.getSamplesSeen()
          });
    }
  }

  private static synchronized double meanLoss(Map<String, double[]> losses) {
    double loss = 0;
    double weight = 0;
    for (double[] l : losses.values()) {
      loss += l[0];
      weight += l[1];
    }
    return loss / weight;
  }

  /**
   * After training: two more checkpoints of the full state, then the cluster's checkpoint
   * statistics.
   */
  private Map<String, Object> checkpoints(String jobId) throws Exception {
    long before = cluster.rest.checkpoints(jobId).path("counts").path("completed").asLong();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    JsonNode stats = cluster.rest.checkpoints(jobId);
    while (stats.path("counts").path("completed").asLong() < before + 2
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
      stats = cluster.rest.checkpoints(jobId);
    }
    JsonNode latest = stats.path("latest").path("completed");
    JsonNode duration = stats.path("summary").path("end_to_end_duration");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("completed", stats.path("counts").path("completed").asLong());
    c.put("failed", stats.path("counts").path("failed").asLong());
    JsonNode failed = stats.path("latest").path("failed");
    if (!failed.isMissingNode() && !failed.isNull()) {
      c.put("lastFailure", failed.path("failure_message").asText(""));
    }
    c.put("fullStateBytes", latest.path("state_size").asLong());
    c.put("lastCheckpointedBytes", latest.path("checkpointed_size").asLong());
    c.put("lastDurationMs", latest.path("end_to_end_duration").asLong());
    c.put("maxDurationMs", duration.path("max").asLong());
    // Over every checkpoint of the job, most of them taken while it trained at full speed.
    c.put("p50DurationMs", duration.path("p50").asDouble());
    c.put("p90DurationMs", duration.path("p90").asDouble());
    c.put("p99DurationMs", duration.path("p99").asDouble());
    c.put(
        "maxPersistedInFlightBytes",
        stats.path("summary").path("persisted_data").path("max").asLong());
    step(
        "  state %,.1f MB, last checkpoint %d ms (uploaded %,.1f MB); all %d: p50 %,.0f ms, p90"
            + " %,.0f ms, slowest %d ms; in-flight data stored up to %,.1f MB",
        latest.path("state_size").asLong() / 1e6,
        latest.path("end_to_end_duration").asLong(),
        latest.path("checkpointed_size").asLong() / 1e6,
        stats.path("counts").path("completed").asLong(),
        duration.path("p50").asDouble(),
        duration.path("p90").asDouble(),
        duration.path("max").asLong(),
        stats.path("summary").path("persisted_data").path("max").asLong() / 1e6);
    return c;
  }

  private Map<String, Object> latency(double rate, SinkGuarantee guarantee) throws Exception {
    // 100 models: at half load each still gets a sample every few milliseconds, so batches close
    // at 64 samples or 20 ms; with 1,000 models nearly every sample would be its own update.
    Workload w = Workload.dense(LATENCY_MODELS, DIMENSION, 0);
    String name = "latency-" + (guarantee == SinkGuarantee.EXACTLY_ONCE ? "eo" : "alo");
    String topic = "bench-" + name + "-samples";
    step("latency: %,.0f samples/s for %.0f s, %s", rate, settings.latencySeconds(), guarantee);
    try (var admin = org.apache.kafka.clients.admin.Admin.create(client)) {
      if (admin.listTopics().names().get().contains(topic)) {
        admin.deleteTopics(List.of(topic)).all().get();
        Thread.sleep(1000);
      }
      admin.createTopics(List.of(TopicLoader.topic(topic, settings.partitions()))).all().get();
    }
    // Batches close at 64 samples or 20 ms after their first: a latency-minded spec.
    var spec =
        io.streamsgd.core.spec.ModelSpecs.withOptimizer(
            io.streamsgd.core.spec.ModelSpecs.of(
                "default",
                io.streamsgd.schema.Task.BINARY,
                io.streamsgd.schema.Loss.LOGISTIC,
                DIMENSION,
                0.07,
                0,
                BATCH,
                20),
            io.streamsgd.schema.OptimizerKind.ADAGRAD,
            0.07);
    TrainerRun run =
        new TrainerRun(
                name,
                cluster.kafkaArgs(),
                topic,
                spec,
                guarantee,
                StateBackendKind.HASHMAP,
                CHECKPOINT_INTERVAL)
            .bufferTimeout(LATENCY_BUFFER_TIMEOUT)
            .compression(LATENCY_COMPRESSION);
    run.createTopics(client, settings.partitions());
    LatencyRun latency =
        new LatencyRun(
            w,
            (int) (rate * (settings.latencySeconds() + LATENCY_MAX_WARMUP_SECONDS + 1) / w.models())
                + 2);
    Map<String, Object> r = new LinkedHashMap<>();
    try (ModelsProbe probe = new ModelsProbe(client, run.models, latency::onUpdate)) {
      String jobId = run.submit(cluster);
      try {
        Thread.sleep(3000); // sources assigned and polling
        // Caught up: nothing sent longer ago than this is still invisible (exactly-once waits for a
        // checkpoint).
        Duration caughtUp =
            guarantee == SinkGuarantee.EXACTLY_ONCE
                ? CHECKPOINT_INTERVAL.plusSeconds(1)
                : Duration.ofSeconds(1);
        double sentRate =
            latency.produce(
                client,
                topic,
                rate,
                settings.latencySeconds(),
                LATENCY_WARMUP_SECONDS,
                LATENCY_MAX_WARMUP_SECONDS,
                caughtUp);
        Map<String, Double> busyCores = cpu.busyCores(latency.measureFrom(), System.nanoTime());
        step(
            "  warm-up %.0f s%s",
            latency.warmupSeconds(),
            latency.warmupSeconds() >= LATENCY_MAX_WARMUP_SECONDS
                ? " (had not caught up: the pipeline cannot take this rate)"
                : " (caught up)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long want = latency.measuredSent();
        while (latency.measured() < want && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        if (latency.measured() == 0) {
          throw new IllegalStateException(
              name + ": no produced sample became visible in a model update");
        }
        LatencyRun.Result res = latency.result(rate);
        r.put("deadLetters", records(run.deadLetters));
        step(
            "  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms over %,d samples (%,d of %,d seen), %,d dead letters",
            res.p50(),
            res.p90(),
            res.p99(),
            res.max(),
            res.samples(),
            latency.measured(),
            want,
            (Long) r.get("deadLetters"));
        if (sentRate < 0.95 * rate) {
          step(
              "  the producer sent only %,.0f samples/s: the stack could not take %,.0f",
              sentRate, rate);
        }
        double[] ack = latency.ackPercentiles();
        step("  of it, send to broker acknowledgement: p50 %.1f ms, p99 %.1f ms", ack[0], ack[1]);
        step(
            "  p99 by second sent (ms): %s",
            res.perSecond().stream()
                .map(x -> String.format("%.0f", x[2]))
                .collect(java.util.stream.Collectors.joining(" ")));
        r.put("guarantee", guarantee.name());
        r.put("samplesPerSecond", rate);
        r.put("sentPerSecond", sentRate);
        putCpu(r, busyCores, sentRate);
        r.put("ackP50Ms", ack[0]);
        r.put("ackP99Ms", ack[1]);
        r.put("models", w.models());
        r.put("batch", "SIZE_OR_LATENCY 64 or 20 ms");
        r.put("checkpointIntervalMs", CHECKPOINT_INTERVAL.toMillis());
        r.put("networkBufferTimeoutMs", LATENCY_BUFFER_TIMEOUT.toMillis());
        r.put("compression", LATENCY_COMPRESSION.kafkaName());
        r.put("warmupSeconds", latency.warmupSeconds());
        r.put("measuredSeconds", settings.latencySeconds());
        r.put("measuredSamples", res.samples());
        r.put("producedSamples", want);
        r.put("p50Ms", res.p50());
        r.put("p90Ms", res.p90());
        r.put("p99Ms", res.p99());
        r.put("maxMs", res.max());
        r.put(
            "perSecond",
            res.perSecond().stream()
                .map(x -> Map.of("second", (int) x[0], "p50Ms", x[1], "p99Ms", x[2]))
                .toList());
      } finally {
        cluster.stop(jobId);
      }
    }
    return r;
  }

  private Map<String, Object> vowpalWabbit() throws Exception {
    step(
        "peer: Vowpal Wabbit 9.3.0 (JNI), one pass over %,d of the same dense samples in memory",
        settings.vwExamples());
    LogisticData data = new LogisticData(settings.vwExamples(), DIMENSION, Workload.SEED);
    VowpalWabbitPeer vw = new VowpalWabbitPeer(data);
    vw.pass(); // warm-up: JIT and native library
    long start = System.nanoTime();
    double loss = vw.pass();
    double seconds = (System.nanoTime() - start) / 1e9;
    step("  %,.0f examples/s, progressive log loss %.5f", data.n / seconds, loss);
    return Map.of(
        "learner",
        "Vowpal Wabbit 9.3.0 (JNI), " + VowpalWabbitPeer.ARGS,
        "examples",
        data.n,
        "examplesPerSecond",
        data.n / seconds,
        "progressiveLogLoss",
        loss);
  }

  void step(String format, Object... args) {
    out.printf(Locale.ROOT, format + "%n", args);
    out.flush();
  }
}
