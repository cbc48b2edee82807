package io.streamsgd.job.warmstart;

import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.RawRecordDeserializer;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.DecodeException;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
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
      StreamExecutionEnvironment env, JobSettings settings, String savepointPath) {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    KafkaSource<RawRecord> source =
        KafkaSource.<RawRecord>builder()
            .setProperties(settings.kafkaClientProperties())
            .setBootstrapServers(settings.bootstrapServers)
            .setTopics(settings.modelsTopic)
            .setGroupId(settings.groupId + "-warm-start")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new RawRecordDeserializer())
            .setProperty("isolation.level", "read_committed")
            .build();
    DataStream<ModelUpdate> updates =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "published models")
            .flatMap(new DecodeUpdate(), new AvroTypeInfo<>(ModelUpdate.class));
    StateBootstrapTransformation<ModelUpdate> state =
        OperatorTransformation.bootstrapWith(updates)
            .keyBy(ModelUpdate::getModelId, Types.STRING)
            .transform(new LatestModelBootstrapper());
    SavepointWriter.newSavepoint(env, settings.maxParallelism)
        .withOperator(OperatorIdentifier.forUid(TrainerPipeline.TRAINER_UID), state)
        .write(savepointPath);
  }

  /** Model updates from the topic; anything else there is skipped (it is not a model). */
  static final class DecodeUpdate implements FlatMapFunction<RawRecord, ModelUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(RawRecord raw, Collector<ModelUpdate> out) {
      try {
        if (raw.value != null) {
          out.collect(Codecs.MODEL_UPDATE.decode(raw.value));
        }
      } catch (DecodeException notAModel) {
        // not ours to restore
      }
    }
  }
}
