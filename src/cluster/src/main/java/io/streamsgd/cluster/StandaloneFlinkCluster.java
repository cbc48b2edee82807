package io.streamsgd.cluster;

import io.streamsgd.process.JvmProcess;
import io.streamsgd.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Flink standalone session cluster on this machine: one JobManager and any number of
 * TaskManagers, each its own JVM started from Maven jars (the class path of this module, the
 * equivalent of a distribution's lib/), everything bound to 127.0.0.1. TaskManagers can be killed
 * with SIGKILL and replaced, which is what fault-tolerance tests do.
 */
public final class StandaloneFlinkCluster implements AutoCloseable, TaskManagerSupervisor.Pool {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneFlinkCluster.class);

  private final Path dir;
  private final Path confDir;
  private final String classpath;
  private final int restPort;
  private final JvmProcess jobManager;
  private final List<JvmProcess> taskManagers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int taskManagersStarted;
  private TaskManagerSupervisor supervisor;
  private final FlinkRestClient rest;

  private StandaloneFlinkCluster(Path dir, Map<String, String> overrides)
      throws IOException, InterruptedException {
    this.dir = dir;
    this.confDir = Files.createDirectories(dir.resolve("conf"));
    this.classpath = flinkClasspath();
    int[] ports = Ports.free(2); // picked together, so never the same
    this.restPort = ports[0];
    writeConfig(overrides, ports[1]);
    this.rest = new FlinkRestClient("http://127.0.0.1:" + restPort);
    this.jobManager =
        startProcess(
            "jobmanager",
            "GET_JM_RESOURCE_PARAMS",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers with their files under {@code dir}
   * and waits until all TaskManagers have registered.
   *
   * @param overrides Flink configuration entries that replace the defaults of this harness
   */
  public static StandaloneFlinkCluster start(
      Path dir, int taskManagers, Map<String, String> overrides)
      throws IOException, InterruptedException {
    StandaloneFlinkCluster cluster =
        new StandaloneFlinkCluster(Files.createDirectories(dir.toAbsolutePath()), overrides);
    try {
      cluster.awaitRest(Duration.ofMinutes(2));
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers, Duration.ofMinutes(3));
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void writeConfig(Map<String, String> overrides, int rpcPort) throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("rest.address", "127.0.0.1");
    c.put("rest.bind-address", "127.0.0.1");
    c.put("rest.port", String.valueOf(restPort));
    c.put("taskmanager.rpc.port", "0");
    c.put("taskmanager.data.port", "0");
    c.put("blob.server.port", "0");
    // Sized for a 2-core, few-GiB machine; CPU, not memory, is the limit there.
    c.put("jobmanager.memory.process.size", "1280m");
    // The JobManager runs each submitted jar's main method and loads its classes; a dozen
    // submissions of the job jar (one bench run) overran Flink's default 256 MiB of metaspace.
    c.put("jobmanager.memory.jvm-metaspace.size", "512m");
    c.put("taskmanager.memory.process.size", "1024m");
    c.put("taskmanager.memory.managed.fraction", "0.1");
    c.put("taskmanager.numberOfTaskSlots", "1");
    c.put("parallelism.default", "1");
    c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
    // A killed TaskManager is noticed in seconds, and the job keeps restarting until a
    // replacement registers: with no slots it fails fast and would burn a small budget.
    c.put("heartbeat.interval", "2000");
    c.put("heartbeat.timeout", "8000");
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", "10000");
    c.put("restart-strategy.fixed-delay.delay", "1 s");
    c.put("slot.request.timeout", "60000");
    c.put("web.upload.dir", dir.resolve("web-upload").toString());
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    c.putAll(overrides);
    StringBuilder yaml = new StringBuilder();
    c.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
    Files.writeString(confDir.resolve("config.yaml"), yaml.toString());
    try (InputStream log4j =
        StandaloneFlinkCluster.class.getResourceAsStream("cluster-log4j2.properties")) {
      Files.copy(log4j, confDir.resolve("log4j2.properties"));
    }
  }

  private static String quote(String v) {
    // A YAML double-quoted scalar: backslashes escape, so they are escaped first.
    return v.matches("[A-Za-z0-9_./:-]+( [a-z]+)?")
        ? v
        : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Starts one more TaskManager (e.g. to replace a killed one). */
  @Override
  public synchronized JvmProcess startTaskManager() throws IOException, InterruptedException {
    JvmProcess tm =
        startProcess(
            "taskmanager-" + (++taskManagersStarted),
            "GET_TM_RESOURCE_PARAMS",
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    taskManagers.add(tm);
    return tm;
  }

  private JvmProcess startProcess(String name, String resourceQuery, String mainClass)
      throws IOException, InterruptedException {
    List<String> resources = resourceParameters(resourceQuery);
    List<String> jvm = new ArrayList<>(JvmProcess.JAVA17_OPENS);
    jvm.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
    Path log = dir.resolve("log").resolve(name + ".log");
    jvm.add("-Dlog.file=" + log);
    jvm.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties").toUri());
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    if (resources.size() > 1) {
      args.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
    }
    return JvmProcess.start(
        name, classpath, jvm, mainClass, args, dir.resolve("log").resolve(name + ".out"));
  }

  /**
   * Flink's own memory calculation (what the distribution's scripts call): JVM flags, then -D
   * settings.
   */
  private List<String> resourceParameters(String query) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                query,
                "--configDir",
                confDir.toString())
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "BashJavaUtils " + query + " failed: " + out.toString(StandardCharsets.UTF_8));
    }
    List<String> results = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
        results.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
      }
    }
    if (results.isEmpty()) {
      throw new IOException(
          "BashJavaUtils " + query + " printed no result: " + out.toString(StandardCharsets.UTF_8));
    }
    return results;
  }

  private void awaitRest(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!jobManager.isAlive()) {
        throw new IOException("JobManager exited; see " + jobManager.log());
      }
      try {
        rest.overview();
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "JobManager REST did not come up within " + timeout + "; see " + jobManager.log(), e);
        }
        Thread.sleep(250);
      }
    }
  }

  /** Waits until {@code count} TaskManagers are registered with the JobManager. */
  public void awaitTaskManagers(int count, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int registered = 0;
    while (System.nanoTime() < deadline) {
      registered = rest.overview().path("taskmanagers").asInt();
      if (registered >= count) {
        LOG.info("{} TaskManager(s) registered", registered);
        return;
      }
      Thread.sleep(250);
    }
    throw new IOException(
        registered
            + " of "
            + count
            + " TaskManagers registered within "
            + timeout
            + "; logs in "
            + dir.resolve("log"));
  }

  /**
   * From now on keeps {@code count} TaskManagers running: whenever one exits, killed or ending
   * itself on a fatal error, a new one is started, as Kubernetes or systemd would.
   */
  public synchronized void superviseTaskManagers(int count) {
    if (supervisor != null) {
      throw new IllegalStateException("TaskManagers are already supervised");
    }
    supervisor = new TaskManagerSupervisor(this, count);
  }

  /**
   * Waits until {@code count} TaskManager processes are alive and the JobManager knows exactly
   * those: dead ones have timed out, replacements have registered.
   */
  public void awaitSettled(int count, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long alive = taskManagers.stream().filter(JvmProcess::isAlive).count();
      if (alive == count && rest.overview().path("taskmanagers").asInt() == alive) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IOException(
        "TaskManagers did not settle within " + timeout + "; logs in " + dir.resolve("log"));
  }

  public FlinkRestClient rest() {
    return rest;
  }

  public String restUrl() {
    return rest.url();
  }

  public JvmProcess jobManager() {
    return jobManager;
  }

  /** TaskManagers started so far, killed ones included, in start order. */
  @Override
  public List<JvmProcess> taskManagers() {
    return List.copyOf(taskManagers);
  }

  /** Directory holding config, logs, checkpoints and savepoints. */
  public Path directory() {
    return dir;
  }

  /** The class path of the cluster's processes (a distribution's lib/). */
  public static String flinkClasspath() {
    try (InputStream in = StandaloneFlinkCluster.class.getResourceAsStream("flink-classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException(
            "flink-classpath.txt missing: build the streamsgd-cluster module with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    TaskManagerSupervisor running;
    synchronized (this) {
      running = supervisor;
    }
    if (running != null) {
      running.close(); // before stopping TaskManagers, or it would start new ones
    }
    for (JvmProcess tm : taskManagers) {
      stopQuietly(tm);
    }
    stopQuietly(jobManager);
  }

  private static void stopQuietly(JvmProcess p) {
    if (p == null) {
      return;
    }
    try {
      p.stop(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
