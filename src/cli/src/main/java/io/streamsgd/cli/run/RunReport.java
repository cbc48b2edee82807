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
    Map<String, Long> deadLetters,
    int parallelism,
    double readSeconds,
    double trainSeconds,
    double samplesPerSecond,
    List<ModelResult> models) {

  /** One model after the run: spec, counts, prequential metrics, final parameters. */
  public record ModelResult(
      String id,
      JsonNode spec,
      long version,
      long samplesSeen,
      Map<String, Double> metrics,
      int nonZeroWeights,
      double[] intercepts,
      double[] weights) {}

  public void write(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }
}
