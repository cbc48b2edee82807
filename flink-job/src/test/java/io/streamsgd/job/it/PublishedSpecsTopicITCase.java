package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SpecPublication;
import io.streamsgd.job.sink.PublishedSpecsTopic;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trainer refuses to start when its published-specs topic cannot hold the specs. */
class PublishedSpecsTopicITCase {
  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  private static JobSettings settings(String models, SpecPublication specs) throws Exception {
    Topics topics = KAFKA_FLINK.topics(1, 1);
    Configuration c = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.set(JobOptions.MODELS_TOPIC, models);
    c.set(JobOptions.SINK_SPEC_PUBLICATION, specs);
    return JobSettings.from(c);
  }

  @Test
  void aMissingDeletingOrMispartitionedTopicIsRefusedNamingTheFix() throws Exception {
    TopicIO io = KAFKA_FLINK.io();
    io.create("checked-models", 2, true);
    JobSettings s = settings("checked-models", SpecPublication.ON_CHANGE);
    assertThatThrownBy(() -> PublishedSpecsTopic.check(s))
        .hasMessageContaining("topic 'checked-models-published-specs' does not exist")
        .hasMessageContaining("streamsgd topics create")
        .hasMessageContaining("streamsgd.sink.spec-publication EVERY_UPDATE");
    assertThat(PublishedSpecsTopic.exists(s)).isFalse();
    // Nothing to check when versions carry their specs.
    PublishedSpecsTopic.check(settings("checked-models", SpecPublication.EVERY_UPDATE));

    io.create("checked-models-published-specs", 1, false);
    assertThatThrownBy(() -> PublishedSpecsTopic.check(s))
        .hasMessageContaining("has cleanup.policy=delete: it needs compact")
        .hasMessageContaining(
            "'checked-models-published-specs' has 1 partitions and 'checked-models' 2");

    io.createModels("good-models", 2);
    PublishedSpecsTopic.check(settings("good-models", SpecPublication.ON_CHANGE));
    assertThat(PublishedSpecsTopic.exists(settings("good-models", SpecPublication.ON_CHANGE)))
        .isTrue();
  }
}
