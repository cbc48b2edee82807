package io.streamsgd.job.testing;

import io.streamsgd.job.config.JobOptions;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;

/**
 * The topics of one test run, named after a run id of their own so that tests share a broker
 * without seeing each other's records: samples, specs (compacted), models (compacted) and dead
 * letters.
 */
public record Topics(String run, String samples, String specs, String models, String deadLetters) {

  /** Creates the topics of a new run; specs and dead letters have one partition. */
  public static Topics create(TopicIO io, int samplePartitions, int modelPartitions)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Topics t = new Topics(run, "samples-" + run, "specs-" + run, "models-" + run, "dead-" + run);
    io.create(t.samples, samplePartitions, false);
    io.create(t.specs, 1, true);
    io.createModels(t.models, modelPartitions);
    io.create(t.deadLetters, 1, false);
    return t;
  }

  /**
   * {@code base} qualified by this run: the name of a further topic, a consumer group or a
   * transactional id prefix that no other test uses.
   */
  public String name(String base) {
    return base + "-" + run;
  }

  /**
   * Job options that read and write these topics on {@code bootstrapServers}, with a consumer group
   * and transactional ids of this run (jobs of other tests on the broker must not fence them).
   */
  public Configuration jobOptions(String bootstrapServers) {
    Configuration c = new Configuration();
    c.set(JobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
    c.set(JobOptions.SAMPLES_TOPIC, samples);
    c.set(JobOptions.SPECS_TOPIC, specs);
    c.set(JobOptions.MODELS_TOPIC, models);
    c.set(JobOptions.DEAD_LETTERS_TOPIC, deadLetters);
    c.set(JobOptions.GROUP_ID, name("it"));
    c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, name("it"));
    return c;
  }
}
