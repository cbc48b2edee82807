package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftDetectorStateTest {

  /**
   * Streams long enough for drifts, warnings, restarts after a drift and (for ADWIN) a window
   * longer than its first bucket arrays: errors that go from 10% to 40% and back, and losses whose
   * mean moves.
   */
  static Stream<Arguments> detectorsAndStreams() {
    double[] errors = errors(60_000);
    double[] losses = losses(60_000);
    return Stream.of(
        Arguments.of("adwin on losses", (Supplier<DriftDetector>) Adwin::new, losses),
        Arguments.of("adwin on errors", (Supplier<DriftDetector>) Adwin::new, errors),
        Arguments.of(
            "adwin checking every sample",
            (Supplier<DriftDetector>) () -> new Adwin(0.01, 1, 3, 5, 10),
            losses),
        Arguments.of("page-hinkley on losses", (Supplier<DriftDetector>) PageHinkley::new, losses),
        Arguments.of(
            "page-hinkley upward on errors",
            (Supplier<DriftDetector>)
                () -> new PageHinkley(30, 0.005, 20, 1 - 0.0001, PageHinkley.Mode.UP),
            errors),
        Arguments.of("ddm", (Supplier<DriftDetector>) Ddm::new, errors),
        Arguments.of("eddm", (Supplier<DriftDetector>) Eddm::new, errors),
        Arguments.of(
            "eddm as in River's example",
            (Supplier<DriftDetector>) () -> new Eddm(30, 0.8, 0.75),
            DriftStreams.resource("river-doc-binary-seed42.txt")));
  }

  static double[] errors(int n) {
    SplittableRandom rng = new SplittableRandom(7);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      double p = (i / 10_000) % 2 == 0 ? 0.1 : 0.4;
      xs[i] = DriftStreams.bernoulli(rng, p);
    }
    return xs;
  }

  static double[] losses(int n) {
    SplittableRandom rng = new SplittableRandom(11);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      double mean = 1.0 + 0.5 * ((i / 7_000) % 3);
      xs[i] = mean + 0.2 * DriftStreams.gaussian(rng);
    }
    return xs;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("detectorsAndStreams")
  void aDetectorReadBackFromItsStateContinuesBitForBitFromAnyPoint(
      String name, Supplier<DriftDetector> make, double[] stream) throws IOException {
    DriftDetector reference = make.get();
    List<DriftSignal> signals = new ArrayList<>();
    for (double x : stream) {
      signals.add(reference.update(x));
    }
    byte[] finalState = reference.toBytes();
    assertThat(signals).contains(DriftSignal.DRIFT);

    // snapshot points: the start, early on, just before, at and just after each of the first
    // drifts, and spread over the stream
    List<Integer> points = new ArrayList<>(List.of(0, 1, 2, 31, 33, stream.length - 1));
    int drifts = 0;
    for (int i = 0; i < signals.size() && drifts < 3; i++) {
      if (signals.get(i) == DriftSignal.DRIFT) {
        points.addAll(List.of(i, i + 1, i + 2));
        drifts++;
      }
    }
    for (int i = 1; i < 8; i++) {
      points.add(stream.length * i / 8 + i);
    }

    for (int at : points) {
      DriftDetector original = make.get();
      for (int i = 0; i < at; i++) {
        original.update(stream[i]);
      }
      byte[] snapshot = original.toBytes();
      DriftDetector restored = DriftDetector.fromBytes(snapshot);
      assertThat(restored.kind()).isEqualTo(original.kind());
      assertThat(restored.toBytes()).as("state read back at %d", at).isEqualTo(snapshot);
      assertThat(restored.samplesSeen()).isEqualTo(at);
      List<DriftSignal> continued = new ArrayList<>();
      List<DriftSignal> continuedRestored = new ArrayList<>();
      for (int i = at; i < stream.length; i++) {
        continued.add(original.update(stream[i]));
        continuedRestored.add(restored.update(stream[i]));
      }
      assertThat(continuedRestored).as("signals after a restore at %d", at).isEqualTo(continued);
      assertThat(continued).isEqualTo(signals.subList(at, stream.length));
      assertThat(restored.toBytes())
          .as("final state after a restore at %d", at)
          .isEqualTo(finalState);
      assertThat(original.driftsDetected()).isEqualTo(reference.driftsDetected());
    }
  }

  @Test
  void aDetectorIsReadBackWithItsParameters() throws IOException {
    Adwin a = (Adwin) DriftDetector.fromBytes(new Adwin(0.01, 16, 7, 4, 20).toBytes());
    assertThat(List.of(a.delta(), a.clock(), a.maxBuckets(), a.minWindowLength(), a.gracePeriod()))
        .containsExactly(0.01, 16, 7, 4, 20);
    PageHinkley p =
        (PageHinkley)
            DriftDetector.fromBytes(
                new PageHinkley(10, 0.1, 20, 0.99, PageHinkley.Mode.DOWN).toBytes());
    assertThat(List.of(p.minInstances(), p.delta(), p.threshold(), p.alpha(), p.mode()))
        .containsExactly(10, 0.1, 20.0, 0.99, PageHinkley.Mode.DOWN);
    Ddm d = (Ddm) DriftDetector.fromBytes(new Ddm(5, 1.5, 2.5).toBytes());
    assertThat(List.of(d.warmStart(), d.warningThreshold(), d.driftThreshold()))
        .containsExactly(5, 1.5, 2.5);
    Eddm e = (Eddm) DriftDetector.fromBytes(new Eddm(40, 0.9, 0.8).toBytes());
    assertThat(List.of(e.warmStart(), e.alpha(), e.beta())).containsExactly(40, 0.9, 0.8);
  }

  @Test
  void stateThatIsNotADetectorsIsRefused() {
    byte[] good = new Adwin().toBytes();

    byte[] format = good.clone();
    format[0] = 9;
    assertThatThrownBy(() -> DriftDetector.fromBytes(format))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format");

    byte[] kind = good.clone();
    kind[1] = 42;
    assertThatThrownBy(() -> DriftDetector.fromBytes(kind))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kind");

    assertThatThrownBy(() -> DriftDetector.fromBytes(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(EOFException.class);

    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> DriftDetector.fromBytes(longer))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trailing");

    // an ADWIN delta of 2 in place of 0.002
    byte[] delta = good.clone();
    long bits = Double.doubleToRawLongBits(2.0);
    for (int i = 0; i < 8; i++) {
      delta[2 + i] = (byte) (bits >>> (56 - 8 * i));
    }
    assertThatThrownBy(() -> DriftDetector.fromBytes(delta))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("delta");
  }

  @Test
  void anAdwinStateWhoseBucketsDoNotAddUpToItsWidthIsRefused() throws IOException {
    Adwin a = new Adwin();
    for (int i = 0; i < 100; i++) {
      a.update(i);
    }
    byte[] bytes = a.toBytes();
    // width is the first double after header (2), parameters (8 + 4 * 4), counts (8 + 8), the
    // drift flag (1) and the tick (8)
    int widthAt = 2 + 8 + 16 + 16 + 1 + 8;
    long bits = Double.doubleToRawLongBits(101.0);
    for (int i = 0; i < 8; i++) {
      bytes[widthAt + i] = (byte) (bits >>> (56 - 8 * i));
    }
    assertThatThrownBy(
            () -> DriftDetectors.read(new DataInputStream(new ByteArrayInputStream(bytes))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("width");
  }
}
