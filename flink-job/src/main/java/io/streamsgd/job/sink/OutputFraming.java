package io.streamsgd.job.sink;

import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkFraming;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import java.io.Serializable;
import org.apache.avro.Schema;

/**
 * The framing of one output topic's records. Records are encoded once, in single-object encoding;
 * for the Confluent framing the 10-byte header is swapped for the 5-byte one with the id the schema
 * got when it was registered under {@code <topic>-value} (Confluent's TopicNameStrategy) at {@link
 * #open}. The body is the same bytes either way.
 */
public final class OutputFraming implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Null: single-object encoding. */
  private final RegistryConfig registry;

  private final String topic;
  private transient int schemaId;
  private transient boolean opened;

  private OutputFraming(RegistryConfig registry, String topic) {
    this.registry = registry;
    this.topic = topic;
  }

  /** The framing the job's settings ask for, on {@code topic}. */
  public static OutputFraming of(JobSettings s, String topic) {
    return new OutputFraming(s.sinkFraming == SinkFraming.CONFLUENT ? s.registry : null, topic);
  }

  /** Registers {@code schema} for the topic when framing needs an id; waits while it cannot. */
  void open(Schema schema) {
    if (registry != null) {
      schemaId = CachedRegistry.shared(registry).registerValueSchema(topic, schema);
    }
    opened = true;
  }

  /** {@code singleObject} in this framing; null stays null (a tombstone). */
  byte[] frame(byte[] singleObject) {
    if (registry == null || singleObject == null) {
      return singleObject;
    }
    if (!opened) {
      throw new IllegalStateException("framing of " + topic + " used before open");
    }
    return ConfluentFraming.fromSingleObject(singleObject, schemaId);
  }
}
