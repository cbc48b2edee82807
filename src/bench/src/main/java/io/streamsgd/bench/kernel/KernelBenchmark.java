package io.streamsgd.bench.kernel;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The learning kernel against Vowpal Wabbit on the same dense logistic stream (d = 64), one thread
 * each. Scores are examples per second: each operation is one example.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class KernelBenchmark {
  /**
   * Examples per pass: 4096 x 64 doubles (2 MiB) stay in cache, as a freshly decoded batch does.
   */
  public static final int EXAMPLES = 4096;

  @Param({"32"})
  public int batchSize;

  private StreamSgdKernel streamsgd;
  private VowpalWabbitPeer vw;

  @Setup
  public void setUp() {
    LogisticData data = new LogisticData(EXAMPLES, 64, 42);
    streamsgd = KernelComparison.streamsgdKernel(data, batchSize);
    vw = new VowpalWabbitPeer(data);
  }

  @Benchmark
  @OperationsPerInvocation(EXAMPLES)
  public double streamsgdMinibatchKernel() {
    return streamsgd.pass();
  }

  @Benchmark
  @OperationsPerInvocation(EXAMPLES)
  public double vowpalWabbit() throws Exception {
    return vw.pass();
  }
}
