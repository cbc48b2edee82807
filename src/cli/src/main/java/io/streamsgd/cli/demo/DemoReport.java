package io.streamsgd.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the demo learned, as written to {@code --report FILE}. */
public record DemoReport(
    String result,
    int parallelism,
    long samplesPerModel,
    double seconds,
    double samplesPerSecond,
    List<ModelResult> models) {

  /** One model: its spec in brief, learned parameters and the serving app's answer. */
  public record ModelResult(
      String id,
      String task,
      String loss,
      double learningRate,
      int batchSize,
      double[] weights,
      double bias,
      long version,
      long samplesSeen,
      double prequentialLoss,
      ServedPrediction prediction) {}

  /** A prediction by the Kafka Streams serving app, and the version it used. */
  public record ServedPrediction(double x, double value, long version) {}

  public void write(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }
}
