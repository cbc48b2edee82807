package io.streamsgd.job.testing;

import io.streamsgd.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectClusterClientConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka broker and a {@value #SLOTS}-slot Flink MiniCluster on 127.0.0.1, started once per
 * test JVM for every test class that registers it, stopped when the JVM's test plan ends.
 */
public final class SharedKafkaFlink
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** The MiniCluster's slots (one TaskManager), and so the parallelism jobs get by default. */
  public static final int SLOTS = 2;

  private static final Namespace NAMESPACE = Namespace.create(SharedKafkaFlink.class);
  private static final String LOOPBACK = "127.0.0.1";

  /** Null for the shared cluster, else the settings of the test class's own cluster. */
  private final Configuration ownCluster;

  private Store root;
  private Flink flink;

  public SharedKafkaFlink() {
    this(null);
  }

  private SharedKafkaFlink(Configuration ownCluster) {
    this.ownCluster = ownCluster;
  }

  /**
   * The shared broker, but a MiniCluster of the test class's own with {@code flinkSettings} on top
   * of the shared cluster's, stopped after the class: for settings that must not reach other tests'
   * jobs, or tests that must be alone on their cluster.
   */
  public static SharedKafkaFlink withOwnCluster(Configuration flinkSettings) {
    return new SharedKafkaFlink(new Configuration(flinkSettings));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    root = context.getRoot().getStore(NAMESPACE);
    // Distinct keys: a class's store also answers with what its parents hold.
    flink =
        ownCluster == null
            ? root.getOrComputeIfAbsent(
                "shared-flink", k -> Flink.start(new Configuration()), Flink.class)
            : context
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("own-flink", k -> Flink.start(ownCluster), Flink.class);
  }

  /**
   * As Flink's {@code MiniClusterExtension}: during a test, {@code
   * StreamExecutionEnvironment.getExecutionEnvironment()} runs jobs on this cluster.
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    MiniCluster cluster = flink.resource.getMiniCluster();
    int parallelism =
        cluster.getConfiguration().getOptional(CoreOptions.DEFAULT_PARALLELISM).orElse(SLOTS);
    TestStreamEnvironment.setAsContext(cluster, parallelism);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestStreamEnvironment.unsetAsContext();
    // a job a test left running would keep the next test's jobs waiting for slots
    flink.resource.cancelAllJobsAndWaitUntilSlotsAreFreed();
  }

  /** {@code 127.0.0.1:port} of the shared broker. */
  public String bootstrapServers() {
    return kafka().broker.bootstrapServers();
  }

  /** Clients of the shared broker. */
  public TopicIO io() {
    return kafka().io;
  }

  /**
   * Creates the topics of a new run on the shared broker (see {@link Topics#create}): unique names
   * keep the tests on it apart.
   */
  public Topics topics(int samplePartitions, int modelPartitions) throws Exception {
    return Topics.create(io(), samplePartitions, modelPartitions);
  }

  public MiniCluster miniCluster() {
    return started().resource.getMiniCluster();
  }

  /** A client of the MiniCluster that talks to it in-process. */
  public ClusterClient<?> clusterClient() {
    return started().resource.getClusterClient();
  }

  /**
   * Parameters annotated {@link InjectMiniCluster}, {@link InjectClusterClient} or {@link
   * InjectClusterClientConfiguration}, as Flink's {@code MiniClusterExtension} resolves them.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return parameter.isAnnotated(InjectMiniCluster.class)
            && type.isAssignableFrom(MiniCluster.class)
        || parameter.isAnnotated(InjectClusterClient.class)
            && ClusterClient.class.isAssignableFrom(type)
        || parameter.isAnnotated(InjectClusterClientConfiguration.class)
            && type.isAssignableFrom(Configuration.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MiniClusterWithClientResource resource = started().resource;
    if (parameter.isAnnotated(InjectMiniCluster.class)) {
      return resource.getMiniCluster();
    }
    if (parameter.isAnnotated(InjectClusterClientConfiguration.class)) {
      return resource.getClientConfiguration();
    }
    if (parameter.getParameter().getType().equals(RestClusterClient.class)) {
      try {
        return resource.getRestClusterClient();
      } catch (Exception e) {
        throw new ParameterResolutionException("no REST client of the MiniCluster", e);
      }
    }
    return resource.getClusterClient();
  }

  private Flink started() {
    if (flink == null) {
      throw new IllegalStateException("register with @RegisterExtension on a static field");
    }
    return flink;
  }

  /** The broker starts with the first test that asks for it (not every class does). */
  private Kafka kafka() {
    started();
    return root.getOrComputeIfAbsent("kafka", k -> Kafka.start(), Kafka.class);
  }

  /**
   * The broker as a store value: JUnit closes a store's {@link AutoCloseable} values with the store
   * (its older {@code Store.CloseableResource} is deprecated), the root store's when the test plan
   * ends.
   */
  private static final class Kafka implements AutoCloseable {
    final EmbeddedKafkaBroker broker;
    final TopicIO io;

    private Kafka(EmbeddedKafkaBroker broker) {
      this.broker = broker;
      this.io = new TopicIO(broker.bootstrapServers());
    }

    static Kafka start() {
      try {
        // Under the JVM's temporary directory (the build's target directory); deleted on close.
        return new Kafka(EmbeddedKafkaBroker.start(Path.of(System.getProperty("java.io.tmpdir"))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  /** A MiniCluster as a store value, through Flink's own resource for tests. */
  private static final class Flink implements AutoCloseable {
    final MiniClusterWithClientResource resource;

    private Flink(MiniClusterWithClientResource resource) {
      this.resource = resource;
    }

    static Flink start(Configuration settings) {
      Configuration c = new Configuration();
      c.set(RestOptions.BIND_ADDRESS, LOOPBACK);
      c.set(RestOptions.ADDRESS, LOOPBACK);
      c.set(JobManagerOptions.BIND_HOST, LOOPBACK);
      c.set(JobManagerOptions.ADDRESS, LOOPBACK);
      c.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
      c.set(TaskManagerOptions.HOST, LOOPBACK);
      c.addAll(settings);
      MiniClusterWithClientResource resource =
          new MiniClusterWithClientResource(
              new MiniClusterResourceConfiguration.Builder()
                  .setConfiguration(c)
                  .setNumberTaskManagers(1)
                  .setNumberSlotsPerTaskManager(SLOTS)
                  // cancelling left-over jobs requires it above the heartbeat interval (10 s)
                  .setShutdownTimeout(Duration.ofSeconds(30))
                  .build());
      try {
        resource.before();
      } catch (Exception e) {
        throw new IllegalStateException("the MiniCluster did not start", e);
      }
      // before() installs the cluster's environment for the whole JVM; tests get it each, above
      TestStreamEnvironment.unsetAsContext();
      return new Flink(resource);
    }

    @Override
    public void close() {
      resource.after();
    }
  }
}
