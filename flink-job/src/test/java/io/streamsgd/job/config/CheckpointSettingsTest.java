package io.streamsgd.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.job.StreamSgdJob;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job's checkpoint options reach Flink, and the cluster's own settings win over them. */
class CheckpointSettingsTest {
  static StreamExecutionEnvironment configured(Configuration cluster, Configuration job) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    job.set(JobOptions.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
    StreamSgdJob.configure(env, JobSettings.from(job));
    return env;
  }

  @Test
  void unalignedUnlessTheJobSaysNot() {
    assertThat(
            configured(new Configuration(), new Configuration())
                .getCheckpointConfig()
                .isUnalignedCheckpointsEnabled())
        .isTrue();
    Configuration job = new Configuration();
    job.set(JobOptions.CHECKPOINT_UNALIGNED, false);
    assertThat(
            configured(new Configuration(), job)
                .getCheckpointConfig()
                .isUnalignedCheckpointsEnabled())
        .isFalse();
  }

  @Test
  void theClusterSettingWins() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
    Configuration job = new Configuration();
    job.set(JobOptions.CHECKPOINT_UNALIGNED, true);
    assertThat(configured(cluster, job).getCheckpointConfig().isUnalignedCheckpointsEnabled())
        .isFalse();
    cluster.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
    job.set(JobOptions.CHECKPOINT_UNALIGNED, false);
    assertThat(configured(cluster, job).getCheckpointConfig().isUnalignedCheckpointsEnabled())
        .isTrue();
  }
}
