package io.streamsgd.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a TaskManager spends its CPU during one run: a Java Flight Recorder recording started and
 * dumped with {@code jcmd} on the TaskManager's process, its execution samples attributed to the
 * part of the pipeline whose code was running (the innermost frame outside the JDK).
 */
final class CpuProfile {
  /** Pipeline parts, tried in order against a frame's class name. */
  private static final Map<String, Pattern> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put(
        "Avro (samples in, updates out)",
        Pattern.compile(
            "^(org\\.apache\\.avro\\.|io\\.streamsgd\\.core\\.avro\\.|io\\.streamsgd\\.schema\\.)"));
    PARTS.put("SGD math (core)", Pattern.compile("^(io\\.streamsgd\\.core\\.|org\\.ejml\\.)"));
    PARTS.put(
        "trainer operator (batching, state access)",
        Pattern.compile("^io\\.streamsgd\\.job\\.train\\."));
    PARTS.put("sample decoder operator", Pattern.compile("^io\\.streamsgd\\.job\\.source\\."));
    PARTS.put(
        "record serialization (keyBy, state)",
        Pattern.compile(
            "^(io\\.streamsgd\\.job\\.state\\.|org\\.apache\\.flink\\.api\\.common\\.typeutils\\.|org\\.apache\\.flink\\.api\\.java\\.typeutils\\.|org\\.apache\\.flink\\.core\\.memory\\.|org\\.apache\\.flink\\.formats\\.avro\\.)"));
    PARTS.put(
        "keyed state backend",
        Pattern.compile(
            "^(org\\.apache\\.flink\\.runtime\\.state\\.|org\\.apache\\.flink\\.state\\.|org\\.rocksdb\\.)"));
    PARTS.put(
        "Kafka client (source fetch, sink produce)",
        Pattern.compile("^(org\\.apache\\.kafka\\.|org\\.apache\\.flink\\.connector\\.kafka\\.)"));
    PARTS.put(
        "Flink runtime (network, mailbox, metrics)", Pattern.compile("^org\\.apache\\.flink\\."));
  }

  private final Path jcmd;
  private final long pid;
  private final Path file;

  private CpuProfile(long pid, Path file) {
    this.jcmd =
        ProcessHandle.current()
            .info()
            .command()
            .map(Path::of)
            .map(java -> java.resolveSibling("jcmd"))
            .orElse(Path.of("jcmd"));
    this.pid = pid;
    this.file = file;
  }

  /** Starts recording the process; {@link #stop()} dumps it to {@code file} and summarises it. */
  static CpuProfile start(long pid, Path file) throws IOException, InterruptedException {
    CpuProfile profile = new CpuProfile(pid, file);
    profile.jcmd("JFR.start", "name=streamsgd-bench", "settings=profile");
    return profile;
  }

  /**
   * Dumps and stops the recording; returns the share of CPU samples per part and the hottest
   * methods.
   */
  Map<String, Object> stop() throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    jcmd("JFR.dump", "name=streamsgd-bench", "filename=" + file.toAbsolutePath());
    jcmd("JFR.stop", "name=streamsgd-bench");
    return summarise(file);
  }

  static Map<String, Object> summarise(Path recording) throws IOException {
    Map<String, Long> parts = new HashMap<>();
    Map<String, Long> methods = new HashMap<>();
    long total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      total++;
      RecordedFrame leaf = frames.get(0);
      methods.merge(
          leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1L, Long::sum);
      parts.merge(partOf(frames), 1L, Long::sum);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cpuSamples", total);
    out.put("shareByPart", shares(parts, total, parts.size()));
    out.put("hottestMethods", shares(methods, total, 15));
    return out;
  }

  /** The part of the innermost frame that is not JDK code: that code asked for the work. */
  private static String partOf(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
        continue;
      }
      for (Map.Entry<String, Pattern> part : PARTS.entrySet()) {
        if (part.getValue().matcher(type).find()) {
          return part.getKey();
        }
      }
      return "other";
    }
    return "JDK only (I/O, threads)";
  }

  private static Map<String, Double> shares(Map<String, Long> counts, long total, int limit) {
    Map<String, Double> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            c ->
                out.put(c.getKey(), Math.round(1000.0 * c.getValue() / Math.max(1, total)) / 10.0));
    return out;
  }

  private void jcmd(String... command) throws IOException, InterruptedException {
    List<String> args = new java.util.ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || output.contains("Could not") || output.contains("Exception")) {
      throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output.strip());
    }
  }
}
