package io.streamsgd.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsgd.cluster.FlinkRestClient;

/**
 * The trainer's checkpoint statistics while it runs (the MiniCluster and its REST endpoint go away
 * with the bounded job, so they are read as it goes): the state backend, how many checkpoints
 * completed, the state's size in the latest and the largest, what the latest uploaded and how long
 * it took, and the slowest.
 */
final class CheckpointWatch {
  private final FlinkRestClient rest;
  private final String jobId;
  private JsonNode last;
  private String stateBackend = "";

  CheckpointWatch(String restUrl, String jobId) {
    this.rest = restUrl == null ? null : new FlinkRestClient(restUrl);
    this.jobId = jobId;
  }

  /** Reads the statistics now; a REST call that fails (the job just ended) keeps the last ones. */
  void poll() {
    if (rest == null) {
      return;
    }
    try {
      if (stateBackend.isEmpty()) {
        stateBackend = rest.checkpointConfig(jobId).path("state_backend").asText();
      }
      JsonNode stats = rest.checkpoints(jobId);
      if (stats.path("counts").path("completed").asLong() > 0) {
        last = stats;
      }
    } catch (Exception e) {
      // the job has finished and its MiniCluster stopped: the last statistics stand
    }
  }

  RunReport.Checkpoints result() {
    if (last == null) {
      return new RunReport.Checkpoints(stateBackend, 0, 0, 0, 0, 0, 0);
    }
    JsonNode latest = last.path("latest").path("completed");
    JsonNode summary = last.path("summary");
    return new RunReport.Checkpoints(
        stateBackend,
        last.path("counts").path("completed").asLong(),
        latest.path("state_size").asLong(),
        summary.path("state_size").path("max").asLong(),
        latest.path("checkpointed_size").asLong(),
        latest.path("end_to_end_duration").asLong(),
        summary.path("end_to_end_duration").path("max").asLong());
  }
}
