package io.streamsgd.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What {@code streamsgd run --report FILE} writes. */
public record RunReport(
    String input,
    String format,
    long samples,
    long badLines,
    List<String> firstBadLines,
    EventTimes eventTimes,
    Map<String, Long> deadLetters,
    int parallelism,
    double readSeconds,
    double trainSeconds,
    double samplesPerSecond,
    Overall overall,
    List<OverallLossCurve.Point> lossCurve,
    Checkpoints checkpoints,
    Publication publication,
    List<ModelResult> models) {

  /**
   * The samples' event times: whether the data's own ({@code --time-column}, else the moments they
   * were read), the earliest and latest (ISO-8601, UTC), and how many are earlier than a sample
   * before them in the file (kept as given).
   */
  public record EventTimes(boolean fromData, String earliest, String latest, long outOfOrder) {}

  /**
   * The trainer's checkpoints: the state backend the job reported, how many completed, the state's
   * size in the latest and in the largest, the bytes the latest uploaded (all of them, or what
   * changed with RocksDB's incremental checkpoints), its duration and the slowest.
   */
  public record Checkpoints(
      String stateBackend,
      long completed,
      long stateBytes,
      long maxStateBytes,
      long lastCheckpointedBytes,
      long lastDurationMs,
      long maxDurationMs) {}

  /**
   * What reached the models topic: the models' updates (versions made), the records published for
   * them (chunks count one each), their bytes, the largest record, and bytes per update.
   */
  public record Publication(
      long updates, long records, long bytes, long largestRecordBytes, double bytesPerUpdate) {}

  /**
   * Every model's prequential figures pooled, each sample weighing as much as in its model's own:
   * mean loss and accuracy over all samples, RMSE from the pooled squared errors.
   */
  public record Overall(double weightSum, double meanLoss, Double accuracy, Double rmse) {

    /** Pools models given as (weight sum, loss sum, accuracy or null, rmse or null). */
    public static Overall of(List<double[]> weightLossAccuracyRmse) {
      double w = 0;
      double loss = 0;
      double correct = 0;
      double squared = 0;
      boolean classified = false;
      boolean regressed = false;
      for (double[] m : weightLossAccuracyRmse) {
        w += m[0];
        loss += m[1];
        if (!Double.isNaN(m[2])) {
          classified = true;
          correct += m[2] * m[0];
        }
        if (!Double.isNaN(m[3])) {
          regressed = true;
          squared += m[3] * m[3] * m[0];
        }
      }
      return new Overall(
          w,
          w > 0 ? loss / w : Double.NaN,
          classified && w > 0 ? correct / w : null,
          regressed && w > 0 ? Math.sqrt(squared / w) : null);
    }
  }

  /**
   * One model after the run: spec, counts, the latest event time of its final version's batch
   * (ISO-8601, UTC), prequential metrics, final parameters.
   */
  public record ModelResult(
      String id,
      JsonNode spec,
      long version,
      long samplesSeen,
      String eventTimeMax,
      Map<String, Double> metrics,
      int nonZeroWeights,
      double[] intercepts,
      double[] weights,
      int[] columns) {}

  public void write(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }
}
