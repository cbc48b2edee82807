package io.streamsgd.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamsgd.bench.kernel.KernelComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsgd bench kernel}: the learning kernel against Vowpal Wabbit, in one run. */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    header = "The learning kernel against Vowpal Wabbit: examples/s and log loss.",
    description =
        "The per-sample learning kernel against Vowpal Wabbit (vw-jni 9.3.0) on the same "
            + "generated logistic data (dense d = 64): examples/s (JMH, one thread each) and "
            + "progressive log loss.")
public final class KernelBenchCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      defaultValue = "kernel-vs-vw.json",
      description = "JSON result (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--quick",
      description = "Fewer JMH forks and iterations (about a minute instead of three).")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> report = KernelComparison.run(quick);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("JSON written to " + out);
    return 0;
  }
}
