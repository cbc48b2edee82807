package io.streamsgd.bench.experiment;

import io.streamsgd.bench.chart.LineChartPng;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DriftDetectorName;
import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSignalSource;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Concept-drift detection and its reactions, replayed with the trainer's own code: four seeded
 * synthetic streams with a known change (a classifier whose concept flips, a regression whose
 * coefficients change; each abruptly and as a gradual blend) and one real, time-ordered stream (US
 * flights of January to June 2001, late or not). For every stream, the windowed prequential loss of
 * a model with no detection and with each detector and reaction, charted with the drifts marked,
 * and a table of delays, false alarms and losses.
 */
public final class DriftExperiment {
  static final int SAMPLES = 25_000;

  /** Samples of the old concept: sample 10,001 is the first changed one (or the blend's first). */
  static final long CHANGE = 10_000;

  /** Samples over which a gradual change blends into the new concept. */
  static final int RAMP = 3_000;

  static final int BATCH = 10;
  static final int WINDOW = 500;

  /** The table's "just after the change" span. */
  static final int AFTER = 2_000;

  static final double CLASSIFIER_LEARNING_RATE = 0.1;
  static final double REGRESSION_LEARNING_RATE = 0.01;

  /** The flights, as {@code streamsgd run} trains them by default (plain SGD 0.05, batch 1). */
  static final int FLIGHTS_HASH_BITS = 18;

  static final double FLIGHTS_LEARNING_RATE = 0.05;
  static final int FLIGHTS_WINDOW = 1_000;

  /** The committed flights file, from the repository's root. */
  public static final Path FLIGHTS =
      Path.of("src", "cli", "src", "test", "resources", "data", "flights-2001-every60th.vw.gz");

  /** River's example parameters for EDDM, which alarms again and again with its defaults. */
  static final Map<String, Double> EDDM_RIVER_EXAMPLE = Map.of("alpha", 0.8, "beta", 0.75);

  /** One way to run the model: a name, its drift spec (null: none), whether it is charted. */
  record Variant(String name, DriftSpec drift, boolean charted) {}

  private DriftExperiment() {}

  static DriftSpec drift(
      DriftDetectorName detector,
      DriftSignalSource signal,
      DriftReaction reaction,
      Map<String, Double> parameters) {
    return DriftSpec.newBuilder()
        .setDetector(detector)
        .setSignal(signal)
        .setReaction(reaction)
        .setParameters(parameters)
        .build();
  }

  /**
   * The variants run on a stream. REPORT must learn exactly as no detection does (it only reports),
   * so it is run to check that and left off the charts; EDDM with its defaults is tabulated beside
   * River's example parameters, which are charted.
   */
  static List<Variant> variants(boolean classifier) {
    List<Variant> v = new ArrayList<>();
    v.add(new Variant("no detection", null, true));
    v.add(
        new Variant(
            "ADWIN on loss, REPORT",
            drift(DriftDetectorName.ADWIN, DriftSignalSource.LOSS, DriftReaction.REPORT, Map.of()),
            false));
    v.add(
        new Variant(
            "ADWIN on loss, RESET",
            drift(DriftDetectorName.ADWIN, DriftSignalSource.LOSS, DriftReaction.RESET, Map.of()),
            true));
    v.add(
        new Variant(
            "Page-Hinkley (up) on loss, RESET",
            drift(
                DriftDetectorName.PAGE_HINKLEY,
                DriftSignalSource.LOSS,
                DriftReaction.RESET,
                Map.of("mode", 1.0)),
            true));
    if (classifier) {
      v.add(
          new Variant(
              "DDM on errors, BACKGROUND",
              drift(
                  DriftDetectorName.DDM,
                  DriftSignalSource.ERROR,
                  DriftReaction.BACKGROUND,
                  Map.of()),
              true));
      v.add(
          new Variant(
              "EDDM (defaults 0.95 / 0.9) on errors, BACKGROUND",
              drift(
                  DriftDetectorName.EDDM,
                  DriftSignalSource.ERROR,
                  DriftReaction.BACKGROUND,
                  Map.of()),
              false));
      v.add(
          new Variant(
              "EDDM (0.8 / 0.75) on errors, BACKGROUND",
              drift(
                  DriftDetectorName.EDDM,
                  DriftSignalSource.ERROR,
                  DriftReaction.BACKGROUND,
                  EDDM_RIVER_EXAMPLE),
              true));
    }
    return v;
  }

  static ModelSpec syntheticSpec(boolean classifier) {
    ModelSpec base =
        classifier
            ? ModelSpecs.logisticRegression(
                "drift", ConceptStreams.DIMENSION, CLASSIFIER_LEARNING_RATE, BATCH)
            : ModelSpecs.linearRegression(
                "drift", ConceptStreams.DIMENSION, REGRESSION_LEARNING_RATE, BATCH);
    return ModelSpecs.withFixedBatches(base, BATCH);
  }

  /**
   * The learning of the spec {@code streamsgd run --task BINARY} builds for the flights (its
   * publication schedule, which does not change what is learnt, left out).
   */
  static ModelSpec flightsSpec() {
    ModelSpec spec =
        ModelSpecs.withFixedBatches(
            ModelSpecs.logisticRegression(
                "flights", 1 << FLIGHTS_HASH_BITS, FLIGHTS_LEARNING_RATE, 1),
            1);
    spec.setHashBits(FLIGHTS_HASH_BITS);
    return SpecValidator.requireValid(spec);
  }

  static ModelSpec withDrift(ModelSpec spec, DriftSpec drift) {
    return SpecValidator.requireValid(ModelSpec.newBuilder(spec).setDrift(drift).build());
  }

  /** Every variant over {@code stream}, in the order of {@code variants}. */
  static Map<Variant, DriftRun> runAll(
      ModelSpec base, List<Variant> variants, List<Sample> stream) {
    Map<Variant, DriftRun> runs = new LinkedHashMap<>();
    for (Variant v : variants) {
      runs.put(v, DriftRun.of(v.name(), withDrift(base, v.drift()), stream));
    }
    DriftRun none = runs.get(variants.get(0));
    DriftRun report = runs.get(variants.get(1));
    if (!report.loss.equals(none.loss)) {
      throw new IllegalStateException("REPORT changed the learning: it must only report");
    }
    return runs;
  }

  /**
   * Runs the synthetic streams and the flights in {@code flights}, writes the charts into {@code
   * out} and returns the result tables (Markdown).
   */
  public static List<String> run(Path out, Path flights) throws IOException {
    Files.createDirectories(out);
    List<String> lines = new ArrayList<>();
    for (ConceptStreams.Stream s :
        List.of(
            ConceptStreams.flippingClassifier(SAMPLES, CHANGE, 1, 11),
            ConceptStreams.flippingClassifier(SAMPLES, CHANGE, RAMP, 11),
            ConceptStreams.changingRegression(SAMPLES, CHANGE, 1, 13),
            ConceptStreams.changingRegression(SAMPLES, CHANGE, RAMP, 13))) {
      lines.addAll(synthetic(out, s));
    }
    lines.addAll(flights(out, flights));
    return lines;
  }

  /** One synthetic stream: its chart, its table and where the detectors signalled. */
  static List<String> synthetic(Path out, ConceptStreams.Stream s) throws IOException {
    Map<Variant, DriftRun> runs =
        runAll(syntheticSpec(s.classifier()), variants(s.classifier()), s.samples());
    Path chart = out.resolve("drift-" + s.id() + ".png");
    DriftChart.write(
        chart,
        s.title() + (s.ramp() > 1 ? " (blend over " + s.ramp() + " samples)" : ""),
        "samples",
        "mean prequential " + (s.classifier() ? "log loss" : "squared loss") + ", per " + WINDOW,
        runs,
        WINDOW,
        List.of(
            new LineChartPng.VerticalLine(
                CHANGE, s.ramp() > 1 ? "blend starts" : "concept changes")),
        !s.classifier()); // a regression's loss spans two decades: from zero, and at the change
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("### " + s.title() + " (" + chart.getFileName() + ")");
    lines.add("");
    lines.addAll(syntheticTable(s, runs));
    lines.add("");
    lines.addAll(driftPositions(runs));
    return lines;
  }

  /**
   * The flights: the loss chart, its difference to no detection (the variants differ by a few
   * percent, too little to see on the loss itself), the table and where the detectors signalled.
   */
  static List<String> flights(Path out, Path file) throws IOException {
    ModelSpec spec = flightsSpec();
    List<Sample> samples = FlightsStream.read(file, spec);
    List<Variant> variants = variants(true);
    Map<Variant, DriftRun> runs = runAll(spec, variants, samples);
    String window = String.format(Locale.ROOT, "%,d", FLIGHTS_WINDOW);
    Path chart = out.resolve("drift-flights.png");
    DriftChart.write(
        chart,
        "US flights, Jan-Jun 2001 ("
            + String.format(Locale.ROOT, "%,d", samples.size())
            + ", time order): late by more than 15 minutes?",
        "flights",
        "mean prequential log loss, per " + window,
        runs,
        FLIGHTS_WINDOW,
        List.of(),
        false);
    Path difference = out.resolve("drift-flights-difference.png");
    DriftChart.writeDifference(
        difference,
        "US flights: windowed log loss minus that of no detection (above 0: worse)",
        "flights",
        "difference in mean log loss, per " + window,
        runs,
        FLIGHTS_WINDOW,
        runs.get(variants.get(0)));
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("### Flights (" + chart.getFileName() + ", " + difference.getFileName() + ")");
    lines.add("");
    lines.addAll(flightsTable(runs, samples.size()));
    lines.add("");
    lines.addAll(driftPositions(runs));
    return lines;
  }

  /** Samples the background models learnt from, for the BACKGROUND reaction only. */
  private static String background(Variant v, DriftRun r) {
    return v.drift() != null && v.drift().getReaction() == DriftReaction.BACKGROUND
        ? String.format(Locale.ROOT, "%,d", r.backgroundSamples)
        : "";
  }

  /** Where each detector signalled, as a list under the table (the first few of many). */
  static List<String> driftPositions(Map<Variant, DriftRun> runs) {
    List<String> out = new ArrayList<>();
    for (DriftRun r : runs.values()) {
      List<Long> d = r.drifts();
      if (d.isEmpty()) {
        continue;
      }
      List<String> shown =
          d.stream().limit(12).map(x -> String.format(Locale.ROOT, "%,d", x)).toList();
      out.add(
          "- "
              + r.name
              + ": drifts at samples "
              + String.join(", ", shown)
              + (d.size() > shown.size() ? ", ... (" + d.size() + " in all)" : ""));
    }
    return out;
  }

  static List<String> syntheticTable(ConceptStreams.Stream s, Map<Variant, DriftRun> runs) {
    long change = s.change();
    long n = s.samples().size();
    List<String> rows = new ArrayList<>();
    rows.add(
        "| detector, reaction | false alarms before the change | delay (samples) | drifts after"
            + " the change | resets / promotions | background samples | mean loss, 2,000 after the"
            + " change | mean loss, all after the change | mean loss, whole stream |");
    rows.add("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<Variant, DriftRun> e : runs.entrySet()) {
      DriftRun r = e.getValue();
      Detections d = new Detections(r.drifts(), change);
      boolean watched = e.getKey().drift() != null;
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %.4f | %.4f | %.4f |",
              r.name,
              watched ? Integer.toString(d.falseAlarms()) : "",
              !watched
                  ? ""
                  : d.delay() < 0 ? "missed" : String.format(Locale.ROOT, "%,d", d.delay()),
              watched ? Integer.toString(d.afterChange()) : "",
              watched ? r.replacements() : "",
              background(e.getKey(), r),
              r.loss.mean(change, change + AFTER),
              r.loss.mean(change, n),
              r.loss.mean(0, n)));
    }
    return rows;
  }

  static List<String> flightsTable(Map<Variant, DriftRun> runs, long n) {
    DriftRun none = runs.values().iterator().next();
    double noneAll = none.loss.mean(0, n);
    long half = n / 2;
    List<String> rows = new ArrayList<>();
    rows.add(
        "| detector, reaction | drifts | resets / promotions | background samples | mean loss, all |"
            + " vs no detection | mean loss, 2nd half | windows better / worse than no detection |");
    rows.add("|---|---|---|---|---|---|---|---|");
    List<double[]> noneWindows = none.loss.windows(FLIGHTS_WINDOW);
    for (Map.Entry<Variant, DriftRun> e : runs.entrySet()) {
      DriftRun r = e.getValue();
      boolean watched = e.getKey().drift() != null;
      double all = r.loss.mean(0, n);
      List<double[]> w = r.loss.windows(FLIGHTS_WINDOW);
      int better = 0;
      int worse = 0;
      for (int i = 0; i < w.size(); i++) {
        better += w.get(i)[1] < noneWindows.get(i)[1] ? 1 : 0;
        worse += w.get(i)[1] > noneWindows.get(i)[1] ? 1 : 0;
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.5f | %s | %.5f | %s |",
              r.name,
              watched ? Integer.toString(r.drifts().size()) : "",
              watched ? r.replacements() : "",
              background(e.getKey(), r),
              all,
              watched ? String.format(Locale.ROOT, "%+.2f %%", 100 * (all / noneAll - 1)) : "",
              r.loss.mean(half, n),
              watched ? better + " / " + worse : ""));
    }
    return rows;
  }
}
