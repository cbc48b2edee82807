package io.streamsgd.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.input.format.ParsedSample;
import io.streamsgd.input.format.VwReader;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.Task;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vowpalWabbit.learner.VWLearners;
import vowpalWabbit.learner.VWScalarLearner;

/**
 * {@code run} with no learning options must learn at least as well as Vowpal Wabbit with none. The
 * data: every 60th of the 3 million US domestic flights of January to June 2001 (vega-datasets'
 * flights-3m, from the Bureau of Transportation Statistics), in time order, as Vowpal Wabbit text:
 * label 1 when the flight was more than 15 minutes late, features origin, destination, route, hour,
 * day of week and distance in hundreds of miles. Both learners score each flight before they learn
 * from it (progressive validation); the losses compared are the mean log losses.
 */
class RunDefaultsBeatVowpalWabbitTest {
  static final String DATA = "/data/flights-2001-every60th.vw.gz";

  /** Vowpal Wabbit with no learning options. */
  static final String VW_DEFAULTS = "--loss_function logistic --link logistic --quiet";

  /** The flights file, copied out of the test resources. */
  static Path flights(Path dir) throws Exception {
    Path file = dir.resolve("flights.vw.gz");
    try (var in = RunDefaultsBeatVowpalWabbitTest.class.getResourceAsStream(DATA)) {
      Files.copy(in, file);
    }
    return file;
  }

  /** The spec {@code run} builds for this data with no options but the task (and hash bits). */
  static ModelSpec runDefaults(Integer hashBits) throws Exception {
    SpecOptions options = new SpecOptions();
    options.task = Task.BINARY;
    options.hashBits = hashBits;
    return options.build("model", 0, 2, true);
  }

  @Test
  void runsDefaultsLearnAtLeastAsWellAsVowpalWabbitsDefaults(@TempDir Path dir) throws Exception {
    Path file = flights(dir);
    ModelSpec spec = runDefaults(null);

    double ours = progressiveLogLoss(spec, file);
    double vw = vowpalWabbitProgressiveLogLoss(file, VW_DEFAULTS);

    assertThat(ours).as("streamsgd run defaults (%s)", spec.getOptimizer()).isLessThanOrEqualTo(vw);
    // Today's margin (0.46727 against 0.47494), so that a change that loses most of it is seen.
    assertThat(vw - ours).isGreaterThan(0.003);
  }

  /** The trainer's arithmetic on the samples the run command would produce from the file. */
  static double progressiveLogLoss(ModelSpec spec, Path file) throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (VwReader reader = new VwReader(file, false)) {
      for (ParsedSample p = reader.next(); p != null; p = reader.next()) {
        double label = p.label() == -1.0 ? 0.0 : p.label();
        Sample raw =
            SampleConversion.fromAvro(
                new ParsedSample(null, p.features(), label, p.weight()).toRecord("model", 0L),
                Sample.Origin.UNKNOWN);
        samples.add(SampleValidator.fit(raw, spec).sample());
      }
    }
    assertThat(samples).hasSize(50_000);
    LearnerState state = LearnerState.initial(spec);
    int b = spec.getBatch().getSize();
    for (int i = 0; i + b <= samples.size(); i += b) {
      MinibatchUpdate.apply(state, samples.subList(i, i + b));
    }
    assertThat(state.metrics().count()).isEqualTo(50_000);
    return state.metrics().meanLoss();
  }

  @Test
  void atTheSameConstantRateTheLossIsVowpalWabbitsSgdWithinAHundredthOfAPercent(@TempDir Path dir)
      throws Exception {
    Path file = flights(dir);
    ModelSpec spec = runDefaults(18);
    double ours = progressiveLogLoss(spec, file);
    double vw =
        vowpalWabbitProgressiveLogLoss(
            file, VW_DEFAULTS + " -b 18 --sgd --power_t 0 -l " + SpecOptions.DEFAULT_LEARNING_RATE);
    // Plain SGD at one rate on both sides: only the two hash functions differ (0.46727 against
    // 0.46729 today).
    assertThat(ours).isCloseTo(vw, org.assertj.core.data.Percentage.withPercentage(0.01));
  }

  /** Vowpal Wabbit 9.3 with {@code args}, through its text parser. */
  static double vowpalWabbitProgressiveLogLoss(Path file, String args) throws Exception {
    double loss = 0;
    int n = 0;
    try (VWScalarLearner vw = VWLearners.create(args);
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        double p = Math.min(Math.max(vw.learn(line), 1e-15), 1 - 1e-15);
        loss += line.startsWith("1 ") ? -Math.log(p) : -Math.log(1 - p);
        n++;
      }
    }
    assertThat(n).isEqualTo(50_000);
    return loss / n;
  }
}
