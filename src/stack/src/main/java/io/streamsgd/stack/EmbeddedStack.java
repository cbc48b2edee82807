package io.streamsgd.stack;

import io.streamsgd.cluster.StandaloneFlinkCluster;
import io.streamsgd.embedded.EmbeddedKafkaBroker;
import io.streamsgd.embedded.topics.TopicCreator;
import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.StateBackendKind;
import io.streamsgd.process.Ports;
import io.streamsgd.serving.LatestModelTopology;
import io.streamsgd.serving.ModelServingApp;
import io.streamsgd.serving.PredictionFraming;
import io.streamsgd.serving.ServingSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything streamsgd needs on one machine, for real: a KRaft Kafka broker on 127.0.0.1, the
 * trainer job on a Flink MiniCluster and the Kafka Streams serving app, all in this JVM. Closing it
 * stops all three and deletes their data.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  static final int EMBEDDED_RESTART_ATTEMPTS = 3;

  private final Path workDir;
  private final int parallelism;
  private final TopicLayout topics;
  private final EmbeddedKafkaBroker broker;
  private JobClient trainer;
  private CompletableFuture<JobExecutionResult> trainerResult;
  private int restPort;
  private StandaloneFlinkCluster processCluster;
  private ModelServingApp serving;
  private boolean keepWorkDir;
  private boolean closed;

  /** Ctrl-C and SIGTERM end the JVM without closing the stack: this closes it then. */
  private final Thread onShutdown = new Thread(this::closeAtShutdown, "streamsgd-stack-shutdown");

  private EmbeddedStack(
      Path workDir, int parallelism, TopicLayout topics, EmbeddedKafkaBroker broker) {
    this.workDir = workDir;
    this.parallelism = parallelism;
    this.topics = topics;
    this.broker = broker;
  }

  /** Starts the broker (data under {@code workDir}) and creates the topics. */
  public static EmbeddedStack start(Path workDir, int parallelism, TopicLayout topics)
      throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir);
    try (Admin admin = Admin.create(broker.clientProperties())) {
      new TopicCreator(admin).create(topics, (short) 1);
    } catch (Exception e) {
      broker.close();
      throw e;
    }
    EmbeddedStack stack = new EmbeddedStack(workDir, parallelism, topics, broker);
    Runtime.getRuntime().addShutdownHook(stack.onShutdown);
    return stack;
  }

  /** Leaves the work directory (logs, checkpoints, topics' data) in place when the stack closes. */
  public EmbeddedStack keepWorkDir(boolean keep) {
    this.keepWorkDir = keep;
    return this;
  }

  public Path workDir() {
    return workDir;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public TopicLayout topics() {
    return topics;
  }

  /**
   * Job options pointing at this stack's broker and topics; callers add their own. A command on
   * this machine waits for its trainer, so a failure that repeats ends the job after 3 restarts
   * (about 7 s of backoff), and the command says why ({@link #checkTrainer}).
   */
  public Configuration jobOptions() {
    Configuration c = new Configuration();
    c.set(JobOptions.RESTART_ATTEMPTS, EMBEDDED_RESTART_ATTEMPTS);
    c.set(JobOptions.BOOTSTRAP_SERVERS, bootstrapServers());
    c.set(JobOptions.SAMPLES_TOPIC, topics.samples());
    c.set(JobOptions.SPECS_TOPIC, topics.specs());
    c.set(JobOptions.MODELS_TOPIC, topics.models());
    c.set(JobOptions.DEAD_LETTERS_TOPIC, topics.deadLetters());
    c.set(JobOptions.MODEL_EVENTS_TOPIC, topics.modelEvents());
    return c;
  }

  /**
   * The REST address of the trainer's cluster (checkpoint statistics, metrics) while its job runs;
   * null before {@link #startTrainer}.
   */
  public String restUrl() {
    return restPort == 0 ? null : "http://127.0.0.1:" + restPort;
  }

  /**
   * Submits the trainer with {@code parallelism} slots: to a new Flink MiniCluster in this JVM, or,
   * when the job options choose RocksDB, to a JobManager and a TaskManager in child processes.
   * Flink's RocksDB cannot share a JVM with Kafka Streams' RocksDB (the serving app's), so this JVM
   * holds neither Flink's RocksDB classes nor a RocksDB trainer.
   */
  public JobClient startTrainer(Configuration jobOptions) throws Exception {
    JobSettings settings = JobSettings.from(jobOptions);
    StreamExecutionEnvironment env =
        settings.stateBackend == StateBackendKind.ROCKSDB
            ? processClusterEnvironment()
            : miniClusterEnvironment();
    StreamSgdJob.build(env, settings);
    trainer = env.executeAsync(settings.jobName);
    // Asked once: a remote job client opens a new REST client for each call, whose long poll for
    // the result holds its threads until the job ends.
    trainerResult = trainer.getJobExecutionResult();
    LOG.info("Trainer job {} submitted", trainer.getJobID());
    return trainer;
  }

  /** Where {@link #startTrainer} runs a trainer on this state backend, for progress lines. */
  public static String trainerPlace(StateBackendKind backend) {
    return backend == StateBackendKind.ROCKSDB
        ? "a Flink JobManager and TaskManager in child processes (RocksDB state)"
        : "a Flink MiniCluster";
  }

  private StreamExecutionEnvironment miniClusterEnvironment() {
    Configuration flink = new Configuration();
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    flink.set(RestOptions.ADDRESS, "127.0.0.1");
    restPort = Ports.free();
    flink.set(RestOptions.BIND_PORT, String.valueOf(restPort));
    flink.set(RestOptions.PORT, restPort);
    flink.set(TaskManagerOptions.HOST, "127.0.0.1");
    // Everything Flink writes stays under the work directory, which closing the stack removes.
    flink.setString("io.tmp.dirs", workDir.resolve("flink-tmp").toString());
    flink.setString("blob.storage.directory", workDir.resolve("flink-blobs").toString());
    flink.setString("web.tmpdir", workDir.resolve("flink-web").toString());
    // Checkpoints go to files under the work directory: without a directory Flink keeps them in
    // the JobManager's memory, capped at 5 MB of state, which a few hundred models outgrow.
    flink.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        workDir.resolve("checkpoints").toUri().toString());
    return StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
  }

  /**
   * A JobManager and one TaskManager with {@code parallelism} slots, as JVMs started from Maven
   * jars, with their files (checkpoints included) under the work directory; the job is built here
   * and runs from the shaded job jar.
   */
  private StreamExecutionEnvironment processClusterEnvironment() throws Exception {
    Path jar = JobJar.locate(null, "set -D" + JobJar.PROPERTY + "=FILE");
    processCluster =
        StandaloneFlinkCluster.start(
            workDir.resolve("flink"),
            1,
            Map.of(
                "taskmanager.numberOfTaskSlots",
                String.valueOf(parallelism),
                "parallelism.default",
                String.valueOf(parallelism),
                // RocksDB's block cache and write buffers come out of managed memory.
                "taskmanager.memory.process.size",
                "2048m",
                "taskmanager.memory.managed.fraction",
                "0.4"));
    URI rest = URI.create(processCluster.restUrl());
    restPort = rest.getPort();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment(
            rest.getHost(), rest.getPort(), new Configuration(), jar.toString());
    env.setParallelism(parallelism); // the client's default (1), not the cluster's, would apply
    return env;
  }

  /**
   * Throws {@link TrainerFailedException} with the root cause once the trainer job has failed for
   * good; returns at once while it runs, restarts or has finished.
   */
  public void checkTrainer() throws InterruptedException {
    if (trainer == null) {
      return;
    }
    // The result, not the status: a job's own MiniCluster shuts down when the job ends, and its
    // status can no longer be asked; the result stays.
    var result = trainerResult;
    if (!result.isDone()) {
      return;
    }
    try {
      result.get();
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  /** Turns the trainer's failure, as its result future reports it, into the root cause. */
  public static TrainerFailedException failure(ExecutionException e) {
    return new TrainerFailedException(e.getCause() != null ? e.getCause() : e);
  }

  /**
   * Settings of a serving instance on this stack (heap store: it shares the JVM with Flink); HTTP
   * on a free port.
   */
  public ServingSettings servingSettings(String instance) {
    return new ServingSettings(
        bootstrapServers(),
        "streamsgd-serving",
        topics.models(),
        topics.predictionRequests(),
        topics.predictions(),
        workDir.resolve("kafka-streams-" + instance),
        LatestModelTopology.StoreType.IN_MEMORY,
        "127.0.0.1",
        null,
        0,
        Map.of(),
        PredictionFraming.SINGLE_OBJECT);
  }

  /**
   * Starts the Kafka Streams serving app with its HTTP API on a free port; closed with the stack.
   */
  public ModelServingApp startServing() throws InterruptedException {
    return startServing(0);
  }

  /**
   * Starts the Kafka Streams serving app with its HTTP API on {@code httpPort} (0: a free one);
   * closed with the stack.
   */
  public ModelServingApp startServing(int httpPort) throws InterruptedException {
    serving =
        new ModelServingApp(servingSettings("0").withHttp("127.0.0.1", httpPort))
            .start(Duration.ofSeconds(60));
    return serving;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(onShutdown);
    } catch (IllegalStateException shuttingDown) {
      // closing from the hook itself
    }
    if (trainer != null) {
      try {
        trainer.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("trainer already stopped: {}", e.getMessage());
      }
    }
    if (processCluster != null) {
      processCluster.close();
    }
    if (serving != null) {
      serving.close();
    }
    broker.close();
    if (keepWorkDir) {
      LOG.warn("Work directory kept: {}", workDir);
    } else {
      deleteQuietly(workDir);
    }
  }

  private void closeAtShutdown() {
    LOG.warn("Stopping: closing the trainer, the serving app and the broker");
    close();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
