package io.streamsgd.job;

import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.job.sink.KafkaSinks;
import io.streamsgd.job.sink.PublishedSpecsTopic;
import io.streamsgd.job.source.KafkaSources;
import io.streamsgd.job.source.RawRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the trainer job ({@code flink run streamsgd-flink-job-*-job.jar --key value ...}).
 * Options are listed in {@link io.streamsgd.job.config.JobOptions}; {@code --config FILE} reads
 * them from a properties file first, arguments win.
 */
public final class StreamSgdJob {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSgdJob.class);

  private StreamSgdJob() {}

  public static void main(String[] args) throws Exception {
    Configuration config = configuration(args);
    JobSettings settings = JobSettings.from(config);
    // Before the job starts, not at its first spec: a topic that cannot hold them is a setup fault.
    PublishedSpecsTopic.check(settings);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, settings);
    env.execute(settings.jobName);
  }

  /** The job's options from {@code --key value} arguments and an optional {@code --config} file. */
  public static Configuration configuration(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    Configuration config = new Configuration();
    if (params.has("config")) {
      config.addAll(
          Configuration.fromMap(ParameterTool.fromPropertiesFile(params.get("config")).toMap()));
    }
    config.addAll(Configuration.fromMap(params.toMap()));
    config.removeKey("config");
    return config;
  }

  /**
   * No Kryo; checkpoints at the job's interval and the job's state backend, unless the cluster
   * configures them.
   */
  public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
    // Every record and state type has a Flink, Avro or project serializer: Kryo would be a bug.
    Configuration pipeline = new Configuration();
    pipeline.set(PipelineOptions.GENERIC_TYPES, false);
    if (env.getConfiguration().getOptional(StateBackendOptions.STATE_BACKEND).isEmpty()) {
      boolean rocksdb = settings.stateBackend == StateBackendKind.ROCKSDB;
      pipeline.set(StateBackendOptions.STATE_BACKEND, rocksdb ? "rocksdb" : "hashmap");
      // RocksDB uploads only the files a checkpoint adds: checkpoint cost follows change, not size.
      pipeline.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, rocksdb);
    }
    if (env.getConfiguration().getOptional(CheckpointingOptions.ENABLE_UNALIGNED).isEmpty()) {
      pipeline.set(CheckpointingOptions.ENABLE_UNALIGNED, settings.checkpointUnaligned);
    }
    if (env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
      restartStrategy(pipeline, settings.restartAttempts);
    }
    env.configure(pipeline);
    if (settings.bufferTimeout != null) {
      env.setBufferTimeout(settings.bufferTimeout.toMillis());
    }
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(
          settings.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }
  }

  /**
   * A failure that repeats (a record the sink cannot write, a broker that stays away) fails the job
   * with its root cause after {@code attempts} restarts in a row, instead of restarting forever;
   * transient failures further apart than the reset threshold never add up.
   */
  static void restartStrategy(Configuration pipeline, int attempts) {
    if (attempts == 0) {
      pipeline.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      return;
    }
    pipeline.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    pipeline.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    pipeline.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofMinutes(1));
    pipeline.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    pipeline.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMinutes(10));
    pipeline.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
  }

  /**
   * Event time is the Kafka record timestamp (producers set it to the sample's event time), per
   * partition, so a partition read in order never makes its own samples late.
   */
  public static WatermarkStrategy<RawRecord> sampleWatermarks(JobSettings settings) {
    return WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(settings.maxOutOfOrderness)
        .withIdleness(settings.idleTimeout);
  }

  /** Specs carry no event time: an idle spec topic must not hold back the trainer's watermark. */
  public static WatermarkStrategy<RawRecord> specWatermarks() {
    return WatermarkStrategy.<RawRecord>forMonotonousTimestamps()
        .withIdleness(Duration.ofSeconds(1));
  }

  /** Adds the whole job (Kafka sources, trainer, Kafka sinks) to {@code env}. */
  public static void build(StreamExecutionEnvironment env, JobSettings settings) {
    LOG.info("Building streamsgd job: {}", settings);
    configure(env, settings);
    DataStream<RawRecord> samples =
        env.fromSource(KafkaSources.samples(settings), sampleWatermarks(settings), "samples")
            .uid("samples-source");
    DataStream<RawRecord> specs =
        env.fromSource(KafkaSources.specs(settings), specWatermarks(), "model-specs")
            .uid("specs-source")
            .setParallelism(1);
    TrainerPipeline.Outputs out = TrainerPipeline.attach(samples, specs, settings);
    KafkaSinks.models(out.updates(), settings);
    out.deadLetters()
        .sinkTo(KafkaSinks.deadLetters(settings))
        .name("dead-letters")
        .uid("dead-letters-sink");
    out.driftEvents()
        .sinkTo(KafkaSinks.modelEvents(settings))
        .name("model-events")
        .uid("model-events-sink");
  }
}
