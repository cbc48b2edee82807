package io.streamsgd.job.it;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter, serving on 127.0.0.1 instead of every interface. Flink 2.2's {@code
 * PrometheusReporter} has no host option (it binds the wildcard address); this one keeps Flink's
 * own collectors and naming ({@link AbstractPrometheusReporter}) and changes only where the HTTP
 * server listens, on a free port that {@link #port()} tells.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
  private static volatile int port = -1;

  /** The port of the last reporter started in this JVM (a MiniCluster starts one). */
  static int port() {
    return port;
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new Reporter();
  }

  private static final class Reporter extends AbstractPrometheusReporter {
    private HTTPServer server;

    @Override
    public void open(MetricConfig config) {
      super.open(config);
      try {
        server =
            new HTTPServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry(), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      port = server.getPort();
    }

    @Override
    public void close() {
      if (server != null) {
        server.stop();
      }
      super.close();
    }

    /**
     * The reporter's registry is package-private in Flink; read it rather than copy Flink's code.
     */
    private CollectorRegistry registry() {
      try {
        Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
        f.setAccessible(true);
        return (CollectorRegistry) f.get(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "Flink's Prometheus reporter changed: no registry field", e);
      }
    }
  }
}
