package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar as users deploy it: the connector, Kafka client, Avro and EJML bundled, Flink
 * and logging left to the cluster. (Submitting it with {@code flink run} to separate JobManager and
 * TaskManager processes is tested with the cluster harness.)
 */
class ShadedJobJarITCase {
  static Path shadedJar() {
    File[] jars =
        new File("target")
            .listFiles(
                (dir, name) ->
                    name.startsWith("streamsgd-flink-job-") && name.endsWith("-job.jar"));
    assertThat(jars).as("shaded job jar in target/ (run after the package phase)").hasSize(1);
    return jars[0].toPath();
  }

  @Test
  void bundlesTheConnectorAndLeavesFlinkToTheCluster() throws Exception {
    try (JarFile jar = new JarFile(shadedJar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.streamsgd.job.StreamSgdJob");
      for (String bundled :
          List.of(
              "io/streamsgd/job/StreamSgdJob.class",
              "io/streamsgd/core/train/MinibatchUpdate.class",
              "io/streamsgd/schema/ModelUpdate.class",
              "org/apache/flink/connector/kafka/source/KafkaSource.class",
              "org/apache/flink/connector/base/source/reader/SourceReaderBase.class",
              "org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class",
              "org/apache/kafka/clients/producer/KafkaProducer.class",
              "org/apache/avro/Schema.class",
              "org/ejml/dense/row/CommonOps_DDRM.class")) {
        assertThat(jar.getEntry(bundled)).as(bundled).isNotNull();
      }
      for (String provided :
          List.of(
              "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
              "org/apache/flink/runtime/state/KeyedStateBackend.class",
              "org/slf4j/Logger.class",
              "org/apache/logging/log4j/Logger.class")) {
        assertThat(jar.getEntry(provided)).as(provided).isNull();
      }
    }
  }

  @Test
  void holdsNoBenchmarkCode() throws Exception {
    // The bench module adds its ceiling job to a copy of this jar; the jar users deploy has none.
    try (JarFile jar = new JarFile(shadedJar().toFile())) {
      assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
          .isNotEmpty()
          .noneMatch(
              name ->
                  name.startsWith("io/streamsgd/bench/")
                      || name.startsWith("org/openjdk/jmh/")
                      || name.startsWith("vowpalWabbit/")
                      || name.contains("/bench/"));
    }
  }
}
