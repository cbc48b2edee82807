package io.streamsgd.cli.embedded;

import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.StateBackendKind;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** {@code --state-backend} of the commands that run the trainer on this machine (demo, run). */
public final class StateBackendOption {
  @Option(
      names = "--state-backend",
      defaultValue = "HASHMAP",
      description =
          "Where the trainer keeps its state: HASHMAP (the JVM heap, a Flink MiniCluster in this"
              + " process) or ROCKSDB (local disk, incremental checkpoints, a JobManager and a"
              + " TaskManager in child processes). Checkpoints go to files under the work"
              + " directory either way (default: ${DEFAULT-VALUE}).")
  StateBackendKind stateBackend;

  /** Sets the choice on the trainer's job options. */
  public Configuration applyTo(Configuration jobOptions) {
    jobOptions.set(JobOptions.STATE_BACKEND, stateBackend);
    return jobOptions;
  }

  public StateBackendKind kind() {
    return stateBackend;
  }
}
