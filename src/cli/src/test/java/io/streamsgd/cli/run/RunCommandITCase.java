package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.cli.StreamSgdCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code streamsgd run} on real data and on named, hashed features, through the real pipeline. */
class RunCommandITCase {
  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  static JsonNode run(Path report, String... args) throws Exception {
    String[] all = new String[args.length + 3];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--report";
    all[args.length + 2] = report.toString();
    assertThat(new CommandLine(new StreamSgdCommand()).execute(all)).isZero();
    return new ObjectMapper().readTree(report.toFile());
  }

  @Test
  void softmaxRegressionOnFashionMnistReachesEightyPercentPrequentialAccuracy(@TempDir Path tmp)
      throws Exception {
    Path images = FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
    assumeTrue(
        Files.exists(images),
        "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist (.ci/run does)");
    JsonNode report =
        run(
            tmp.resolve("fashion.json"),
            "--input",
            images.toString(),
            "--labels",
            FASHION_MNIST.resolve("train-labels-idx1-ubyte.gz").toString(),
            "--task",
            "MULTICLASS",
            "--optimizer",
            "ADAGRAD",
            "--lr",
            "0.07",
            "--batch-size",
            "64");
    assertThat(report.get("samples").asLong()).isEqualTo(60_000);
    JsonNode model = report.get("models").get(0);
    assertThat(model.get("samplesSeen").asLong()).isEqualTo(60_000);
    assertThat(model.get("version").asLong())
        .isEqualTo(938); // 937 full batches of 64 and the last 32
    assertThat(model.get("metrics").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.80);
    assertThat(report.get("overall").get("accuracy").asDouble()) // one model: its own figure
        .isCloseTo(model.get("metrics").get("accuracy").asDouble(), within(1e-12));
    assertThat(model.get("weights")).hasSize(7840);
  }

  @Test
  void vwInputWithHashedFeaturesAndFtrlL1(@TempDir Path tmp) throws Exception {
    // Clicks depend on two of fifty named features; FTRL with L1 should zero almost all the rest.
    Random rnd = new Random(3);
    StringBuilder vw = new StringBuilder();
    int n = 6000;
    for (int i = 0; i < n; i++) {
      int a = rnd.nextInt(50);
      int b = rnd.nextInt(50);
      double z = (a == 7 ? 2.5 : 0) + (b == 13 ? -2.5 : 0) - 0.5;
      int label = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : -1;
      vw.append(label).append(" |f id_").append(a).append(" |g id_").append(b).append('\n');
    }
    vw.append("this line has no features\n");
    Path input = Files.writeString(tmp.resolve("clicks.vw"), vw.toString());
    JsonNode report =
        run(
            tmp.resolve("clicks.json"),
            "--input",
            input.toString(),
            "--task",
            "BINARY",
            "--optimizer",
            "FTRL",
            "--lr",
            "0.5",
            "--l1",
            "1.0",
            "--hash-bits",
            "12",
            "--batch-size",
            "20");
    assertThat(report.get("samples").asLong()).isEqualTo(n);
    assertThat(report.get("badLines").asLong()).isEqualTo(1);
    JsonNode model = report.get("models").get(0);
    assertThat(model.get("samplesSeen").asLong()).isEqualTo(n);
    assertThat(model.get("spec").get("featureDimension").asInt()).isEqualTo(4096);
    assertThat(model.get("nonZeroWeights").asInt()).isBetween(1, 20);
    assertThat(model.get("metrics").get("accuracy").asDouble()).isGreaterThan(0.6);
  }

  @Test
  void aHashedModelOfTwoToTheEighteenTrainsPerSampleToTheCoresReplayLoss(@TempDir Path tmp)
      throws Exception {
    Path flights = RunDefaultsBeatVowpalWabbitTest.flights(tmp);
    JsonNode report =
        run(
            tmp.resolve("flights.json"),
            "--input",
            flights.toString(),
            "--task",
            "BINARY",
            "--hash-bits",
            "18");
    JsonNode model = report.get("models").get(0);
    assertThat(model.get("samplesSeen").asLong()).isEqualTo(50_000);
    assertThat(model.get("version").asLong()).isEqualTo(50_000); // one update per sample
    // Through Kafka and Flink, sparse storage and publication every 64 updates: the core's loss.
    double replay =
        RunDefaultsBeatVowpalWabbitTest.progressiveLogLoss(
            RunDefaultsBeatVowpalWabbitTest.runDefaults(18), flights);
    assertThat(model.get("metrics").get("meanLoss").asDouble()).isEqualTo(replay);
    // Published sparse: the touched columns only, far below 2^18 weights per record.
    assertThat(model.get("columns").size()).isEqualTo(model.get("nonZeroWeights").asInt());
    assertThat(model.get("columns").size()).isBetween(1_000, 20_000);
    JsonNode publication = report.get("publication");
    assertThat(publication.get("updates").asLong()).isEqualTo(50_000);
    assertThat(publication.get("records").asLong()).isBetween(782L, 800L); // every 64th, the last
    assertThat(publication.get("largestRecordBytes").asLong()).isLessThan(300_000);
  }
}
