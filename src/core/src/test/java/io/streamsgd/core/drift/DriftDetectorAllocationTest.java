package io.streamsgd.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A detector runs on every sample of every keyed model, so an update allocates nothing: counted
 * with the JVM's per-thread allocation counter, not timed.
 */
class DriftDetectorAllocationTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(DriftDetectorKind.class)
  void anUpdateAllocatesNothing(DriftDetectorKind kind) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);

    DriftDetector d = DriftDetectors.create(kind);
    // errors whose rate moves every 50000 samples: drifts, restarts, and ADWIN windows of tens of
    // thousands of values (past its first bucket arrays, which are made in the warm-up)
    double[] stream = new double[600_000];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < stream.length; i++) {
      double p = (i / 50_000) % 2 == 0 ? 0.1 : 0.4;
      stream[i] = DriftStreams.bernoulli(rng, p);
    }
    for (int i = 0; i < 200_000; i++) {
      d.update(stream[i]);
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    long drifts = d.driftsDetected();
    for (int i = 200_000; i < stream.length; i++) {
      d.update(stream[i]);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(d.driftsDetected()).isGreaterThan(drifts);
    // a few bytes of slack for the counter's own bookkeeping
    assertThat(allocated).isLessThan(1024);
  }
}
