package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.cli.StreamSgdCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
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

  @Test
  void realCsvWithADateTwoCategoriesAndAnIgnoredColumnHashesAndKeepsTheDataTimes(@TempDir Path tmp)
      throws Exception {
    // Flights: late mostly from two of five origins; a row id that must not become a feature; a
    // minute apart from 2001-01-01 00:01, every 100th row half an hour back (out of order).
    String[] origins = {"LAS", "SFO", "ORD", "JFK", "SEA"};
    String[] carriers = {"AA", "UA", "WN"};
    Random rnd = new Random(5);
    StringBuilder csv = new StringBuilder("when,origin,carrier,distance,row_id,late\n");
    Instant start = Instant.parse("2001-01-01T00:01:00Z");
    int n = 3000;
    long outOfOrder = 0;
    Instant latest = start;
    for (int i = 0; i < n; i++) {
      Instant when = start.plusSeconds(60L * i - (i % 100 == 99 ? 1800 : 0));
      outOfOrder += when.isBefore(latest) ? 1 : 0;
      latest = when.isAfter(latest) ? when : latest;
      String origin = origins[rnd.nextInt(origins.length)];
      boolean late = rnd.nextDouble() < (origin.equals("LAS") || origin.equals("ORD") ? 0.85 : 0.1);
      csv.append(when.toString().replace('T', ' ').replace("Z", ""))
          .append(',')
          .append(origin)
          .append(',')
          .append(carriers[rnd.nextInt(carriers.length)])
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", 0.2 + 2 * rnd.nextDouble()))
          .append(",r")
          .append(i)
          .append(',')
          .append(late ? 1 : 0)
          .append('\n');
      if (i == 1500) {
        csv.append("2001-01-02 01:00:00,LAS,AA,n/a,x,1\n"); // line 1503
        csv.append("yesterday,LAS,AA,1.0,y,1\n"); // line 1504
      }
    }
    // a century ahead: the broker refuses records more than an hour ahead unless told otherwise
    csv.append("2101-01-01 00:00:00,SEA,UA,1.00,r").append(n).append(",0\n");
    Path input = Files.writeString(tmp.resolve("flights.csv"), csv.toString());
    JsonNode report =
        run(
            tmp.resolve("flights.json"),
            "--input",
            input.toString(),
            "--label-column",
            "late",
            "--time-column",
            "when",
            "--ignore-columns",
            "row_id",
            "--task",
            "BINARY");
    assertThat(report.get("samples").asLong()).isEqualTo(n + 1);
    assertThat(report.get("badLines").asLong()).isEqualTo(2);
    assertThat(report.get("firstBadLines"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "line 1503: column 'distance': 'n/a' is not a number (a categorical column?"
                + " --categorical-columns)",
            "line 1504: column 'when': 'yesterday' is not an ISO-8601 date or date-time, nor"
                + " epoch seconds or milliseconds");
    JsonNode times = report.get("eventTimes");
    assertThat(times.get("fromData").asBoolean()).isTrue();
    assertThat(times.get("earliest").asText()).isEqualTo("2001-01-01T00:01:00Z");
    assertThat(times.get("latest").asText()).isEqualTo("2101-01-01T00:00:00Z");
    assertThat(times.get("outOfOrder").asLong()).isEqualTo(outOfOrder).isEqualTo(30);
    JsonNode model = report.get("models").get(0);
    assertThat(model.get("samplesSeen").asLong()).isEqualTo(n + 1); // out of order ones too
    // categories hash, as named features do, into run's default 2^18 buckets
    assertThat(model.get("spec").get("hashBits").asInt()).isEqualTo(18);
    assertThat(model.get("spec").get("featureDimension").asInt()).isEqualTo(1 << 18);
    // five origins, three carriers and the distance: the row ids were ignored, the date is time
    assertThat(model.get("columns").size()).isEqualTo(9);
    // the final version learnt from the last row alone (one sample per batch): the data's time
    assertThat(model.get("eventTimeMax").asText()).isEqualTo("2101-01-01T00:00:00Z");
    assertThat(model.get("metrics").get("accuracy").asDouble()).isGreaterThan(0.8);
  }
}
