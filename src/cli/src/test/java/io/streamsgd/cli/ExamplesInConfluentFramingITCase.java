package io.streamsgd.cli;

import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.SinkFraming;
import io.streamsgd.registry.SchemaRegistryProcess;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The examples of {@link ExamplesBeyondTheJvmITCase} in the Confluent wire format, against a real
 * schema registry (Apicurio, its own process): they register their schemas, write specs and samples
 * framed with the registry's ids (samples with an evolved schema, a field added with a default),
 * and read back models the trainer publishes in that framing. Predictions equal the Java core's to
 * 1e-12, and no record is dead-lettered.
 */
class ExamplesInConfluentFramingITCase extends ExamplesBeyondTheJvmITCase {
  SchemaRegistryProcess registry;

  @BeforeAll
  @Override
  void startBrokerAndTrainer() throws Exception {
    registry = SchemaRegistryProcess.start(tmp.resolve("registry"), Duration.ofMinutes(2));
    super.startBrokerAndTrainer();
  }

  @AfterAll
  @Override
  void stop() throws Exception {
    try {
      super.stop();
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Override
  Configuration withFraming(Configuration job) {
    job.set(JobOptions.REGISTRY_URL, registry.confluentUrl());
    job.set(JobOptions.SINK_FRAMING, SinkFraming.CONFLUENT);
    return job;
  }

  @Override
  List<String> framingFlags() {
    return List.of("--framing", "confluent", "--registry-url", registry.confluentUrl());
  }

  @Override
  Map<String, Object> registryProperties() {
    return Map.of(RegistryConfig.URL, registry.confluentUrl());
  }

  @Override
  byte publishedFirstByte() {
    return ConfluentFraming.MAGIC;
  }

  @Override
  FramedCodec<ModelUpdate> modelCodec() {
    return FramedCodec.of(
        Codecs.MODEL_UPDATE, CachedRegistry.shared(RegistryConfig.of(registry.confluentUrl())));
  }
}
