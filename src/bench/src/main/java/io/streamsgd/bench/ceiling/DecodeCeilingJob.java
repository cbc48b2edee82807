package io.streamsgd.bench.ceiling;

import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.TrainerPipeline;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.source.KafkaSources;
import io.streamsgd.job.source.SampleDecoder;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The trainer's input path and nothing after it: the samples source and the trainer's own decoder,
 * into a sink that drops everything. What it reaches is the ceiling of the whole job on the same
 * cluster (takes the trainer's options; the benchmark runs it bounded). {@code --ceiling.marks-dir
 * DIR} names where the sink notes its timings (see {@link TimedDiscardSink}).
 */
public final class DecodeCeilingJob {
  public static final String MARKS_DIR = "ceiling.marks-dir";

  private DecodeCeilingJob() {}

  public static void main(String[] args) throws Exception {
    org.apache.flink.configuration.Configuration config = StreamSgdJob.configuration(args);
    String marks = config.getString(MARKS_DIR, System.getProperty("java.io.tmpdir"));
    config.removeKey(MARKS_DIR);
    JobSettings settings = JobSettings.from(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    StreamSgdJob.configure(env, settings);
    env.fromSource(
            KafkaSources.samples(settings), StreamSgdJob.sampleWatermarks(settings), "samples")
        .process(
            new SampleDecoder(settings.maxRecordBytes, settings.maxFeatures, settings.registry),
            TrainerPipeline.SAMPLE_TYPE)
        .name("decode samples")
        .sinkTo(new TimedDiscardSink<>(marks))
        .name("discard");
    env.execute("streamsgd-decode-ceiling");
  }
}
