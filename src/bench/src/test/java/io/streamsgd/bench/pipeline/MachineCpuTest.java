package io.streamsgd.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

  @Test
  void aSpinningThreadShowsAsAboutOneBusyCoreOfItsProcessAndOfTheMachine() throws Exception {
    assumeThat(Files.isReadable(Path.of("/proc/stat"))).as("Linux /proc").isTrue();
    try (MachineCpu cpu = MachineCpu.start(Map.of("self", ProcessHandle.current().pid()))) {
      Thread.sleep(300);
      long from = System.nanoTime();
      long spinUntil = from + 1_500_000_000L;
      long x = 0;
      while (System.nanoTime() < spinUntil) {
        x += Long.numberOfTrailingZeros(x + System.nanoTime());
      }
      long to = System.nanoTime();
      Thread.sleep(300);
      Map<String, Double> cores = cpu.busyCores(from, to);
      int cpus = Runtime.getRuntime().availableProcessors();
      // One thread spun for the window (other processes may add to the machine's figure); the
      // windows are whole 100 ms samples around it, hence the margins.
      assertThat(cores.get("self")).as("spin %d", x).isBetween(0.6, 1.0 * cpus + 0.05);
      assertThat(cores.get(MachineCpu.MACHINE)).isGreaterThanOrEqualTo(cores.get("self") - 0.05);
      assertThat(cores.get(MachineCpu.MACHINE)).isLessThanOrEqualTo(cpus + 0.05);
      // 0.9 cores busy at 300,000 records/s: 3 µs of CPU per record.
      assertThat(MachineCpu.microsPerRecord(Map.of("m", 0.9), 300_000).get("m"))
          .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void aWindowWithoutSamplesReadsEmpty() {
    try (MachineCpu cpu = MachineCpu.start(Map.of())) {
      assertThat(cpu.busyCores(0, 1)).isEmpty();
    }
  }
}
