package io.streamsgd.job.warmstart;

import io.streamsgd.core.publish.ChunkKeys;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.sink.PublishedSpecsTopic;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.RawRecordDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * Warm start: a batch job that reads the models topic and writes a savepoint holding, for every
 * model, the trainer's state at its last published version. Start the trainer from it ({@code flink
 * run -s <savepoint> ...}) and each model carries on from that version: parameters, version
 * counter, samples seen, metrics (optimizer accumulators start afresh; they are not published). Run
 * with the trainer's options and {@code --savepoint-path DIR}:
 *
 * <pre>flink run -c io.streamsgd.job.warmstart.WarmStartSavepoint streamsgd-flink-job-*-job.jar \
 *   --streamsgd.kafka.bootstrap-servers kafka:9092 --savepoint-path s3://bucket/warm-start</pre>
 */
public final class WarmStartSavepoint {
  private WarmStartSavepoint() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    String path = params.getRequired("savepoint-path");
    Configuration config = StreamSgdJob.configuration(args);
    config.removeKey("savepoint-path");
    JobSettings settings = JobSettings.from(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    write(env, settings, path);
    env.execute("streamsgd warm start from " + settings.modelsTopic);
  }

  /** Adds the savepoint-writing job to {@code env}, which runs it in batch mode. */
  public static void write(
      StreamExecutionEnvironment env, JobSettings settings, String savepointPath)
      throws InterruptedException {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    List<String> topics = new ArrayList<>(List.of(settings.modelsTopic));
    // The specs versions name by fingerprint, whatever the new job publishes: a trainer before it
    // may have left them out of its versions.
    if (PublishedSpecsTopic.exists(settings)) {
      topics.add(settings.publishedSpecsTopic);
    }
    KafkaSource<RawRecord> source =
        KafkaSource.<RawRecord>builder()
            .setProperties(settings.kafkaClientProperties())
            .setBootstrapServers(settings.bootstrapServers)
            .setTopics(topics)
            .setGroupId(settings.groupId + "-warm-start")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new RawRecordDeserializer())
            .setProperty("isolation.level", "read_committed")
            .build();
    DataStream<RawRecord> records =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "published models")
            .filter(r -> r.value != null && r.key != null);
    StateBootstrapTransformation<RawRecord> state =
        OperatorTransformation.bootstrapWith(records)
            .keyBy(WarmStartSavepoint::modelId, Types.STRING)
            .transform(new LatestModelBootstrapper(settings.publishedSpecsTopic));
    SavepointWriter.newSavepoint(env, settings.maxParallelism)
        .withOperator(OperatorIdentifier.forUid(TrainerPipeline.TRAINER_UID), state)
        .write(savepointPath);
  }

  /** The model a record belongs to: its key, or the model a chunk key names. */
  static String modelId(RawRecord r) {
    return ChunkKeys.modelId(new String(r.key, StandardCharsets.UTF_8));
  }
}
