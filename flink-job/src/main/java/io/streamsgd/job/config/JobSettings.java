package io.streamsgd.job.config;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.spec.UpdateSize;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.registry.RegistryConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's settings, read from a Flink {@link Configuration} and checked once at start-up: a bad
 * value fails the submission with a message that names the key and the allowed range.
 */
public final class JobSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String bootstrapServers;

  /** Kafka client settings passed through (security etc.). May hold secrets: never log it. */
  private final Map<String, String> kafkaProperties;

  public final String samplesTopic;
  public final String specsTopic;
  public final String modelsTopic;
  public final String deadLettersTopic;
  public final String modelEventsTopic;
  public final String groupId;
  public final StartingOffsets startingOffsets;
  public final boolean bounded;
  public final int maxRecordBytes;
  public final int maxFeatures;
  public final RecordKey recordKey;
  public final Duration maxOutOfOrderness;
  public final Duration idleTimeout;
  public final SinkGuarantee deliveryGuarantee;
  public final Duration transactionTimeout;
  public final String transactionalIdPrefix;
  public final SinkCompression sinkCompression;
  public final SpecPublication sinkSpecPublication;

  /**
   * The published-specs topic of the models topic (written under {@link
   * SpecPublication#ON_CHANGE}).
   */
  public final String publishedSpecsTopic;

  public final SinkFraming sinkFraming;

  /** The schema registry, or null when none is configured. Holds secrets: never log it whole. */
  public final RegistryConfig registry;

  /** Largest model update published; specs whose updates could be larger are refused. */
  public final int sinkMaxRecordBytes;

  public final MissingSpecPolicy missingSpec;

  /** Avro JSON of the default spec, or null. */
  public final String defaultSpecJson;

  public final Duration specPollInterval;
  public final Duration checkpointInterval;
  public final boolean checkpointUnaligned;

  /** Null: Flink's (or the cluster's) buffer timeout. */
  public final Duration bufferTimeout;

  /** Restarts in a row before the job fails (when the cluster sets no restart strategy). */
  public final int restartAttempts;

  public final StateBackendKind stateBackend;
  public final int maxParallelism;
  public final int writeBackSamples;
  public final int writeBackModels;
  public final String jobName;

  /** Models with gauges of their own: the opt-in list, in its order, without duplicates. */
  public final List<String> metricsModelIds;

  /** Every option's value as read, for {@link #toString}. */
  private final Map<String, Object> effective = new java.util.LinkedHashMap<>();

  private JobSettings(Configuration c, Map<String, String> kafkaProperties) {
    for (ConfigOption<?> option : JobOptions.all()) {
      effective.put(option.key(), c.get(option));
    }
    this.bootstrapServers = c.get(JobOptions.BOOTSTRAP_SERVERS);
    this.kafkaProperties = kafkaProperties;
    this.samplesTopic = c.get(JobOptions.SAMPLES_TOPIC);
    this.specsTopic = c.get(JobOptions.SPECS_TOPIC);
    this.modelsTopic = c.get(JobOptions.MODELS_TOPIC);
    this.publishedSpecsTopic = io.streamsgd.schema.TopicNames.publishedSpecs(modelsTopic);
    this.deadLettersTopic = c.get(JobOptions.DEAD_LETTERS_TOPIC);
    this.modelEventsTopic = c.get(JobOptions.MODEL_EVENTS_TOPIC);
    this.groupId = c.get(JobOptions.GROUP_ID);
    this.startingOffsets = c.get(JobOptions.STARTING_OFFSETS);
    this.bounded = c.get(JobOptions.BOUNDED);
    this.maxRecordBytes = c.get(JobOptions.MAX_RECORD_BYTES);
    this.maxFeatures = c.get(JobOptions.MAX_FEATURES);
    this.recordKey = c.get(JobOptions.RECORD_KEY);
    this.maxOutOfOrderness = c.get(JobOptions.MAX_OUT_OF_ORDERNESS);
    this.idleTimeout = c.get(JobOptions.IDLE_TIMEOUT);
    this.deliveryGuarantee = c.get(JobOptions.DELIVERY_GUARANTEE);
    this.transactionTimeout = c.get(JobOptions.TRANSACTION_TIMEOUT);
    this.transactionalIdPrefix = c.get(JobOptions.TRANSACTIONAL_ID_PREFIX);
    this.sinkCompression = c.get(JobOptions.SINK_COMPRESSION);
    this.sinkSpecPublication = c.get(JobOptions.SINK_SPEC_PUBLICATION);
    this.sinkFraming = c.get(JobOptions.SINK_FRAMING);
    this.registry = registry(c);
    this.sinkMaxRecordBytes = c.get(JobOptions.SINK_MAX_RECORD_BYTES);
    this.missingSpec = c.get(JobOptions.MISSING_SPEC);
    this.defaultSpecJson = c.get(JobOptions.DEFAULT_SPEC);
    this.specPollInterval = c.get(JobOptions.SPEC_POLL_INTERVAL);
    this.checkpointInterval = c.get(JobOptions.CHECKPOINT_INTERVAL);
    this.checkpointUnaligned = c.get(JobOptions.CHECKPOINT_UNALIGNED);
    this.bufferTimeout = c.getOptional(JobOptions.BUFFER_TIMEOUT).orElse(null);
    this.restartAttempts = c.get(JobOptions.RESTART_ATTEMPTS);
    this.stateBackend = c.get(JobOptions.STATE_BACKEND);
    this.maxParallelism = c.get(JobOptions.MAX_PARALLELISM);
    this.writeBackSamples = c.get(JobOptions.WRITE_BACK_SAMPLES);
    this.writeBackModels = c.get(JobOptions.WRITE_BACK_MODELS);
    this.jobName = c.get(JobOptions.JOB_NAME);
    this.metricsModelIds = modelIds(c.get(JobOptions.METRICS_MODEL_IDS));
  }

  /**
   * Reads and checks every option; throws {@link IllegalArgumentException} listing all problems.
   */
  public static JobSettings from(Configuration config) {
    Map<String, String> kafka = new TreeMap<>();
    for (Map.Entry<String, String> e : config.toMap().entrySet()) {
      if (e.getKey().startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)) {
        kafka.put(e.getKey().substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()), e.getValue());
      }
    }
    List<String> problems = new ArrayList<>();
    java.util.Set<String> known = new java.util.HashSet<>();
    JobOptions.all().forEach(o -> known.add(o.key()));
    for (String key : config.keySet()) {
      if (key.startsWith("streamsgd.")
          && !key.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)
          && !known.contains(key)) {
        problems.add("unknown option " + key);
      }
    }
    JobSettings s;
    try {
      s = new JobSettings(config, kafka);
    } catch (IllegalArgumentException e) { // a value of the wrong type, e.g. an enum name misspelt
      throw new IllegalArgumentException(
          "invalid streamsgd job settings:\n  "
              + String.join("\n  ", problems)
              + "\n  "
              + e.getMessage(),
          e);
    }
    if (s.bootstrapServers == null || s.bootstrapServers.isBlank()) {
      problems.add(JobOptions.BOOTSTRAP_SERVERS.key() + " is required");
    }
    for (ConfigOption<String> topic :
        List.of(
            JobOptions.SAMPLES_TOPIC,
            JobOptions.SPECS_TOPIC,
            JobOptions.MODELS_TOPIC,
            JobOptions.DEAD_LETTERS_TOPIC)) {
      if (!config.get(topic).matches("[A-Za-z0-9._-]{1,249}")) {
        problems.add(
            topic.key()
                + " must be a Kafka topic name ([A-Za-z0-9._-]{1,249}), got '"
                + config.get(topic)
                + "'");
      }
    }
    if (s.sinkSpecPublication == SpecPublication.ON_CHANGE
        && s.publishedSpecsTopic.length() > 249) {
      problems.add(
          JobOptions.MODELS_TOPIC.key()
              + " is too long for its published-specs topic '"
              + s.publishedSpecsTopic
              + "' (Kafka allows 249 characters): shorten it, or set "
              + JobOptions.SINK_SPEC_PUBLICATION.key()
              + " EVERY_UPDATE");
    }
    problems.addAll(JobOptions.rangeProblems(config));
    checkRange(
        problems,
        JobOptions.METRICS_MODEL_IDS.key() + " (number of ids)",
        s.metricsModelIds.size(),
        0,
        JobOptions.MAX_METRICS_MODEL_IDS);
    for (String id : s.metricsModelIds) {
      if (!SpecValidator.MODEL_ID.matcher(id).matches()) {
        problems.add(
            JobOptions.METRICS_MODEL_IDS.key()
                + ": '"
                + id
                + "' is not a model id ("
                + SpecValidator.MODEL_ID
                + ")");
      }
    }
    if (s.deliveryGuarantee == SinkGuarantee.EXACTLY_ONCE
        && s.transactionTimeout.compareTo(s.checkpointInterval) <= 0) {
      problems.add(
          JobOptions.TRANSACTION_TIMEOUT.key()
              + " ("
              + s.transactionTimeout
              + ") must exceed "
              + JobOptions.CHECKPOINT_INTERVAL.key()
              + " ("
              + s.checkpointInterval
              + ")");
    }
    if (s.sinkFraming == SinkFraming.CONFLUENT && s.registry == null) {
      problems.add(
          JobOptions.SINK_FRAMING.key()
              + " CONFLUENT needs a schema registry: set "
              + JobOptions.REGISTRY_URL.key());
    }
    if (s.defaultSpecJson != null) {
      try {
        ModelSpec spec = ModelSpecJson.parse(s.defaultSpecJson);
        List<String> specProblems = SpecValidator.problems(spec);
        UpdateSize.problem(spec, s.sinkMaxRecordBytes, JobOptions.SINK_MAX_RECORD_BYTES.key())
            .ifPresent(specProblems::add);
        if (!specProblems.isEmpty()) {
          problems.add(JobOptions.DEFAULT_SPEC.key() + ": " + String.join("; ", specProblems));
        }
      } catch (IllegalArgumentException e) {
        problems.add(JobOptions.DEFAULT_SPEC.key() + ": " + e.getMessage());
      }
    } else if (s.missingSpec == MissingSpecPolicy.DEFAULT) {
      problems.add(
          JobOptions.DEFAULT_SPEC.key()
              + " is required when "
              + JobOptions.MISSING_SPEC.key()
              + " is DEFAULT");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid streamsgd job settings:\n  " + String.join("\n  ", problems));
    }
    return s;
  }

  private static RegistryConfig registry(Configuration c) {
    String url = c.get(JobOptions.REGISTRY_URL);
    if (url == null || url.isBlank()) {
      return null;
    }
    String trustStore = c.get(JobOptions.REGISTRY_TRUSTSTORE_LOCATION);
    String keyStore = c.get(JobOptions.REGISTRY_KEYSTORE_LOCATION);
    try {
      return new RegistryConfig(
          url,
          c.get(JobOptions.REGISTRY_USER_INFO),
          trustStore == null
              ? null
              : new RegistryConfig.Store(
                  trustStore,
                  c.get(JobOptions.REGISTRY_TRUSTSTORE_PASSWORD),
                  c.get(JobOptions.REGISTRY_TRUSTSTORE_TYPE)),
          keyStore == null
              ? null
              : new RegistryConfig.Store(
                  keyStore,
                  c.get(JobOptions.REGISTRY_KEYSTORE_PASSWORD),
                  c.get(JobOptions.REGISTRY_KEYSTORE_TYPE)),
          null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          JobOptions.REGISTRY_URL.key() + " or its settings: " + e.getMessage(), e);
    }
  }

  private static List<String> modelIds(String commaSeparated) {
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    for (String id : commaSeparated.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.trim());
      }
    }
    return new ArrayList<>(ids);
  }

  private static void checkRange(
      List<String> problems, String key, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(key + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  /** Kafka client properties: the pass-through settings and the bootstrap servers. */
  public Properties kafkaClientProperties() {
    Properties p = new Properties();
    p.putAll(kafkaProperties);
    p.put("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** The default spec for one model, or null when the job has none. */
  public ModelSpec defaultSpecFor(String modelId) {
    if (defaultSpecJson == null) {
      return null;
    }
    ModelSpec spec = ModelSpecJson.parse(defaultSpecJson);
    spec.setModelId(modelId);
    return spec;
  }

  /**
   * For logs: every option's value (the default spec only as set or not), and the pass-through
   * Kafka settings by key, their values hidden.
   */
  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(", ", "JobSettings{", "}");
    for (ConfigOption<?> option : JobOptions.all()) {
      Object value = effective.get(option.key());
      out.add(
          option.key()
              + "="
              + (option.equals(JobOptions.DEFAULT_SPEC)
                  ? (value != null ? "set" : "none")
                  : JobOptions.SECRET_OPTIONS.contains(option) && value != null
                      ? "hidden"
                      : value));
    }
    out.add(
        JobOptions.KAFKA_PROPERTIES_PREFIX + "*=" + kafkaProperties.keySet() + " (values hidden)");
    return out.toString();
  }
}
