package io.streamsgd.core.drift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Input streams for the detectors' tests: River's reference streams and seeded synthetic ones. */
final class DriftStreams {
  private DriftStreams() {}

  /** A stream under src/test/resources/drift: one value a line, '#' lines are comments. */
  static double[] resource(String name) {
    String path = "/drift/" + name;
    try (InputStream in = DriftStreams.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Double> values = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String s = line.trim();
        if (!s.isEmpty() && !s.startsWith("#")) {
          values.add(Double.parseDouble(s));
        }
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indices (0-based) at which the detector reports a change. */
  static List<Integer> driftIndices(DriftDetector detector, double[] stream) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < stream.length; i++) {
      if (detector.update(stream[i]) == DriftSignal.DRIFT) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * What the loop in River's DDM and EDDM docstrings prints: "warning i" for the first warning
   * after the start or after a change, and "change i" for each change.
   */
  static List<String> riverDocPrintout(DriftDetector detector, double[] stream) {
    List<String> out = new ArrayList<>();
    boolean printWarning = true;
    for (int i = 0; i < stream.length; i++) {
      DriftSignal s = detector.update(stream[i]);
      if (s == DriftSignal.WARNING && printWarning) {
        out.add("warning " + i);
        printWarning = false;
      }
      if (s == DriftSignal.DRIFT) {
        out.add("change " + i);
        printWarning = true;
      }
    }
    return out;
  }

  /** A standard normal variate by Box-Muller, from two uniforms: the same on every JVM. */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // in (0, 1]
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /** A 0/1 error, 1 with probability p. */
  static double bernoulli(SplittableRandom rng, double p) {
    return rng.nextDouble() < p ? 1.0 : 0.0;
  }
}
