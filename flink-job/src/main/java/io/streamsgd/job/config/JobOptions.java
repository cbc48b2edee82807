package io.streamsgd.job.config;

import io.streamsgd.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Every setting of the trainer job: one definition each, with its default and doc line. Pass them
 * as {@code --key value} arguments to the job, or in the Flink configuration. Values are checked at
 * start-up by {@link JobSettings#from}.
 */
public final class JobOptions {
  /** The bounded options and their ranges, filled as the fields below are initialized. */
  private static final Map<String, Bounded<?>> BOUNDED_OPTIONS = new LinkedHashMap<>();

  private JobOptions() {}

  /** An option with a range: the range is appended to its description and checked at start-up. */
  private record Bounded<T extends Comparable<T>>(ConfigOption<T> option, Bounds<T> bounds) {
    void check(Configuration config, List<String> problems) {
      config
          .getOptional(option)
          .filter(v -> !bounds.contains(v))
          .ifPresent(
              v ->
                  problems.add(
                      option.key() + " must be in " + bounds.text() + ", got " + bounds.format(v)));
    }
  }

  private static <T extends Comparable<T>> ConfigOption<T> bounded(
      ConfigOption<T> option, String description, Bounds<T> bounds) {
    ConfigOption<T> described =
        option.withDescription(description + " Range " + bounds.text() + ".");
    BOUNDED_OPTIONS.put(described.key(), new Bounded<>(described, bounds));
    return described;
  }

  /**
   * Every value of {@code config} outside its option's range, as a message naming key and range.
   */
  static List<String> rangeProblems(Configuration config) {
    List<String> problems = new ArrayList<>();
    BOUNDED_OPTIONS.values().forEach(b -> b.check(config, problems));
    return problems;
  }

  /**
   * Every option above, to refuse unknown {@code streamsgd.*} keys (a typo must not go unnoticed).
   */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (java.lang.reflect.Field f : JobOptions.class.getFields()) {
      if (ConfigOption.class.isAssignableFrom(f.getType())) {
        try {
          options.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return options;
  }

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("streamsgd.kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers (host:port,...). Required.");

  /**
   * Prefix of Kafka client settings passed through untouched (security.protocol, sasl.*, ssl.*,
   * ...).
   */
  public static final String KAFKA_PROPERTIES_PREFIX = "streamsgd.kafka.properties.";

  public static final ConfigOption<String> SAMPLES_TOPIC =
      ConfigOptions.key("streamsgd.topic.samples")
          .stringType()
          .defaultValue(TopicNames.SAMPLES)
          .withDescription("Topic of TrainingSample records, keyed by modelId.");

  public static final ConfigOption<String> SPECS_TOPIC =
      ConfigOptions.key("streamsgd.topic.specs")
          .stringType()
          .defaultValue(TopicNames.MODEL_SPECS)
          .withDescription("Compacted topic of ModelSpec records, keyed by modelId.");

  public static final ConfigOption<String> MODELS_TOPIC =
      ConfigOptions.key("streamsgd.topic.models")
          .stringType()
          .defaultValue(TopicNames.MODELS)
          .withDescription(
              "Compacted topic the trainer publishes ModelUpdate records to, keyed by modelId.");

  public static final ConfigOption<String> MODEL_EVENTS_TOPIC =
      ConfigOptions.key("streamsgd.topic.model-events")
          .stringType()
          .defaultValue(TopicNames.MODEL_EVENTS)
          .withDescription(
              "Topic of DriftEvent records: each model's drift warnings, drifts and reactions.");

  public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
      ConfigOptions.key("streamsgd.topic.dead-letters")
          .stringType()
          .defaultValue(TopicNames.DEAD_LETTERS)
          .withDescription(
              "Topic of DeadLetter records: every input the trainer could not use, with the reason.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("streamsgd.source.group-id")
          .stringType()
          .defaultValue("streamsgd-trainer")
          .withDescription(
              "Consumer group id of the sources (offsets are committed on checkpoints, for monitoring).");

  public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
      ConfigOptions.key("streamsgd.source.starting-offsets")
          .enumType(StartingOffsets.class)
          .defaultValue(StartingOffsets.EARLIEST)
          .withDescription(
              "Where a job that starts without a checkpoint or savepoint reads samples from: EARLIEST, "
                  + "LATEST or COMMITTED (the group's offsets). A restored job always resumes from its checkpoint.");

  public static final ConfigOption<Boolean> BOUNDED =
      ConfigOptions.key("streamsgd.source.bounded")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Stop at the topics' end offsets as of job start, flush every open batch and finish "
                  + "(for replays and file runs). Default: run forever.");

  public static final ConfigOption<Integer> MAX_FEATURES =
      bounded(
          ConfigOptions.key("streamsgd.source.max-features").intType().defaultValue(1 << 20),
          "Samples with more stored features than this go to dead letters as OVERSIZED.",
          Bounds.of(1, 1 << 28));

  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
      bounded(
          ConfigOptions.key("streamsgd.source.max-out-of-orderness")
              .durationType()
              .defaultValue(Duration.ofSeconds(1)),
          "Watermarks trail the largest Kafka record timestamp seen per partition by this much; "
              + "event-time batch bounds close once the watermark passes them.",
          Bounds.of(Duration.ZERO, Duration.ofHours(1)));

  public static final ConfigOption<Duration> IDLE_TIMEOUT =
      bounded(
          ConfigOptions.key("streamsgd.source.idle-timeout")
              .durationType()
              .defaultValue(Duration.ofSeconds(30)),
          "A samples partition without records for this long stops holding back the watermark.",
          Bounds.of(Duration.ofSeconds(1), Duration.ofDays(1)));

  public static final ConfigOption<Integer> MAX_RECORD_BYTES =
      bounded(
          ConfigOptions.key("streamsgd.source.max-record-bytes").intType().defaultValue(1 << 20),
          "Input records larger than this go to dead letters as OVERSIZED.",
          Bounds.of(64, 1 << 30));

  public static final ConfigOption<RecordKey> RECORD_KEY =
      ConfigOptions.key("streamsgd.source.record-key")
          .enumType(RecordKey.class)
          .defaultValue(RecordKey.MODEL_ID)
          .withDescription(
              "What a sample record's Kafka key is: MODEL_ID (the convention: records keyed by "
                  + "their model id cross the shuffle undecoded and are decoded once, in the "
                  + "trainer; other records are decoded before it; a sample under another model's "
                  + "key is a KEY_MISMATCH dead letter) or IGNORED (keys mean something else: "
                  + "every record is decoded before the shuffle).");

  public static final ConfigOption<SinkGuarantee> DELIVERY_GUARANTEE =
      ConfigOptions.key("streamsgd.sink.delivery-guarantee")
          .enumType(SinkGuarantee.class)
          .defaultValue(SinkGuarantee.EXACTLY_ONCE)
          .withDescription(
              "EXACTLY_ONCE (Kafka transactions, visible on checkpoint) or AT_LEAST_ONCE (visible at once).");

  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      bounded(
          ConfigOptions.key("streamsgd.sink.transaction-timeout")
              .durationType()
              .defaultValue(Duration.ofMinutes(5)),
          "Kafka transaction timeout of the exactly-once sinks. Must exceed the checkpoint interval "
              + "and stay under the broker's transaction.max.timeout.ms (15 min by default).",
          Bounds.of(Duration.ofSeconds(1), Duration.ofHours(1)));

  public static final ConfigOption<SinkCompression> SINK_COMPRESSION =
      ConfigOptions.key("streamsgd.sink.compression")
          .enumType(SinkCompression.class)
          .defaultValue(SinkCompression.LZ4)
          .withDescription(
              "Compression of model updates, published specs and dead letters: NONE, GZIP, SNAPPY, LZ4 "
                  + "or ZSTD. Trained parameters are doubles that hardly compress (LZ4 saves 9 % of a "
                  + "64-feature model's updates, none of a 1,024-feature one's, about a fifth of a hashed "
                  + "2^24-weight one's): NONE saves the CPU where models are dense.");

  public static final ConfigOption<SpecPublication> SINK_SPEC_PUBLICATION =
      ConfigOptions.key("streamsgd.sink.spec-publication")
          .enumType(SpecPublication.class)
          .defaultValue(SpecPublication.ON_CHANGE)
          .withDescription(
              "ON_CHANGE: each model's spec is written once, to the models topic's published-specs"
                  + " topic ('<models topic>-published-specs', compacted, as many partitions as the"
                  + " models topic), before the first version trained under it, and versions carry"
                  + " its fingerprint only. EVERY_UPDATE: every version carries its spec and the"
                  + " published-specs topic is not written, for readers of release 0.1.");

  public static final ConfigOption<Integer> SINK_MAX_RECORD_BYTES =
      bounded(
          ConfigOptions.key("streamsgd.sink.max-record-bytes").intType().defaultValue(1_000_000),
          "Largest record the trainer writes to the models topic: a version larger than this is"
              + " published in chunks of at most this size, which readers put back together"
              + " (docs/publication.md). A spec whose versions cannot be chunked to it (the spec,"
              + " metadata and intercepts every chunk repeats leave no room, or a version would"
              + " take over 4,096 records) is refused (INVALID_SPEC, naming the fix); the"
              + " producers' max.request.size is set 64 KiB above it. Keep it under the broker's"
              + " message.max.bytes and the models topic's max.message.bytes.",
          Bounds.of(1 << 14, 1 << 26));

  public static final ConfigOption<SinkFraming> SINK_FRAMING =
      ConfigOptions.key("streamsgd.sink.framing")
          .enumType(SinkFraming.class)
          .defaultValue(SinkFraming.SINGLE_OBJECT)
          .withDescription(
              "Framing of model updates, dead letters and drift events: SINGLE_OBJECT (Avro "
                  + "single-object encoding, readable with no registry) or CONFLUENT (byte 0, the "
                  + "schema's registry id, the body; schemas registered under <topic>-value). "
                  + "CONFLUENT needs streamsgd.registry.url. Inputs are read in either framing "
                  + "whatever this says.");

  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("streamsgd.registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Base URL of a schema registry's Confluent-compatible REST API (for Apicurio: "
                  + ".../apis/ccompat/v7). Needed to read Confluent-framed samples and specs "
                  + "(without it they go to dead letters as UNKNOWN_SCHEMA) and to publish in that "
                  + "framing. Lookups are cached; while the registry is unreachable the job waits "
                  + "and retries with backoff, holding back its input.");

  public static final ConfigOption<String> REGISTRY_USER_INFO =
      ConfigOptions.key("streamsgd.registry.basic-auth.user-info")
          .stringType()
          .noDefaultValue()
          .withDescription("user:password for the registry's HTTP basic auth. Never logged.");

  public static final ConfigOption<String> REGISTRY_TRUSTSTORE_LOCATION =
      ConfigOptions.key("streamsgd.registry.ssl.truststore.location")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Trust store with the registry's CA, for https URLs signed by a private CA.");

  public static final ConfigOption<String> REGISTRY_TRUSTSTORE_PASSWORD =
      ConfigOptions.key("streamsgd.registry.ssl.truststore.password")
          .stringType()
          .noDefaultValue()
          .withDescription("Password of the registry trust store. Never logged.");

  public static final ConfigOption<String> REGISTRY_TRUSTSTORE_TYPE =
      ConfigOptions.key("streamsgd.registry.ssl.truststore.type")
          .stringType()
          .defaultValue("PKCS12")
          .withDescription("Type of the registry trust store: PKCS12 or JKS.");

  public static final ConfigOption<String> REGISTRY_KEYSTORE_LOCATION =
      ConfigOptions.key("streamsgd.registry.ssl.keystore.location")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Key store with the job's client key, for a registry that wants mutual TLS.");

  public static final ConfigOption<String> REGISTRY_KEYSTORE_PASSWORD =
      ConfigOptions.key("streamsgd.registry.ssl.keystore.password")
          .stringType()
          .noDefaultValue()
          .withDescription("Password of the registry key store (and its key). Never logged.");

  public static final ConfigOption<String> REGISTRY_KEYSTORE_TYPE =
      ConfigOptions.key("streamsgd.registry.ssl.keystore.type")
          .stringType()
          .defaultValue("PKCS12")
          .withDescription("Type of the registry key store: PKCS12 or JKS.");

  /** Options whose values are secrets: logged as "hidden". */
  public static final List<ConfigOption<String>> SECRET_OPTIONS =
      List.of(REGISTRY_USER_INFO, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_KEYSTORE_PASSWORD);

  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("streamsgd.sink.transactional-id-prefix")
          .stringType()
          .defaultValue("streamsgd-trainer")
          .withDescription(
              "Prefix of the sinks' Kafka transactional ids; unique per job on a cluster.");

  public static final ConfigOption<MissingSpecPolicy> MISSING_SPEC =
      ConfigOptions.key("streamsgd.spec.missing")
          .enumType(MissingSpecPolicy.class)
          .defaultValue(MissingSpecPolicy.WAIT)
          .withDescription(
              "Samples of a model with no spec: WAIT for it, train under the DEFAULT spec, or DEAD_LETTER them.");

  public static final ConfigOption<String> DEFAULT_SPEC =
      ConfigOptions.key("streamsgd.spec.default")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The default ModelSpec as Avro JSON (its modelId is replaced by each model's id). "
                  + "Required when streamsgd.spec.missing is DEFAULT.");

  public static final ConfigOption<Duration> SPEC_POLL_INTERVAL =
      bounded(
          ConfigOptions.key("streamsgd.spec.wait-poll-interval")
              .durationType()
              .defaultValue(Duration.ofMillis(200)),
          "How often a model waiting for its spec looks again.",
          Bounds.of(Duration.ofMillis(10), Duration.ofMinutes(1)));

  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      bounded(
          ConfigOptions.key("streamsgd.network.buffer-timeout").durationType().noDefaultValue(),
          "Longest time a record waits in a network buffer between operators before it is sent "
              + "(Flink's execution.buffer-timeout, default 100 ms). Lower it when sample-to-model "
              + "latency matters more than throughput.",
          Bounds.of(Duration.ZERO, Duration.ofSeconds(10)));

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      bounded(
          ConfigOptions.key("streamsgd.checkpoint.interval")
              .durationType()
              .defaultValue(Duration.ofSeconds(10)),
          "Checkpoint interval, used when the Flink configuration sets none. Exactly-once updates "
              + "become visible at this pace.",
          Bounds.of(Duration.ofMillis(100), Duration.ofHours(1)));

  public static final ConfigOption<Boolean> CHECKPOINT_UNALIGNED =
      ConfigOptions.key("streamsgd.checkpoint.unaligned")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Unaligned checkpoints: barriers overtake the samples buffered before the trainer, "
                  + "which are stored in the checkpoint instead of waited for. Keeps checkpoints "
                  + "short under back-pressure (alignment was most of them with 100,000 models on "
                  + "RocksDB); checkpoints grow by the in-flight data. false: aligned checkpoints. "
                  + "Used when the Flink configuration does not set "
                  + "execution.checkpointing.unaligned.enabled.");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      bounded(
          ConfigOptions.key("streamsgd.restart.attempts").intType().defaultValue(10),
          "Restarts in a row before the job gives up and fails with its root cause, each after a "
              + "backoff that doubles from 1 s to at most 1 min; a run of 10 min without failure "
              + "starts the count again. 0: fail at the first error. Used when the Flink "
              + "configuration sets no restart strategy.",
          Bounds.of(0, 1000));

  public static final ConfigOption<StateBackendKind> STATE_BACKEND =
      ConfigOptions.key("streamsgd.state.backend")
          .enumType(StateBackendKind.class)
          .defaultValue(StateBackendKind.HASHMAP)
          .withDescription(
              "HASHMAP (state on the JVM heap: fastest, bounded by memory) or ROCKSDB (state on local disk, "
                  + "incremental checkpoints: for many or large models). Used when the Flink configuration sets none.");

  public static final ConfigOption<Integer> WRITE_BACK_SAMPLES =
      bounded(
          ConfigOptions.key("streamsgd.trainer.write-back-samples").intType().defaultValue(20_000),
          "Open-batch samples a trainer subtask keeps on its heap before it writes them to keyed "
              + "state; they are written before every checkpoint in any case. Saves a state "
              + "access per sample on RocksDB. 0: write every sample at once.",
          Bounds.of(0, 10_000_000));

  public static final ConfigOption<Integer> WRITE_BACK_MODELS =
      bounded(
          ConfigOptions.key("streamsgd.trainer.write-back-models").intType().defaultValue(200_000),
          "Models whose open-batch bookkeeping a trainer subtask caches on its heap (about 200 "
              + "bytes each); past it the cache is written back and emptied.",
          Bounds.of(1, 100_000_000));

  public static final ConfigOption<Integer> MAX_PARALLELISM =
      bounded(
          ConfigOptions.key("streamsgd.max-parallelism").intType().defaultValue(128),
          "Key groups of the trainer: the most subtasks it can ever be rescaled to. Fixed for the life of the "
              + "state (savepoints keep it).",
          Bounds.of(1, 32_768));

  /** The most model ids {@link #METRICS_MODEL_IDS} takes: each one adds a few series. */
  public static final int MAX_METRICS_MODEL_IDS = 100;

  public static final ConfigOption<String> METRICS_MODEL_IDS =
      ConfigOptions.key("streamsgd.metrics.model-ids")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Comma-separated model ids that get Flink gauges of their own (version, samplesSeen, meanLoss, "
                  + "lastBatchSize, under a model_id label). At most 100; default none, so the number of metrics "
                  + "does not grow with the number of models.");

  public static final ConfigOption<String> JOB_NAME =
      ConfigOptions.key("streamsgd.job.name")
          .stringType()
          .defaultValue("streamsgd-trainer")
          .withDescription("Name of the Flink job.");
}
