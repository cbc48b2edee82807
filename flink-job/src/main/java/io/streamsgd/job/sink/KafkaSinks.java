package io.streamsgd.job.sink;

import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.SpecPublication;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.ModelUpdate;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/** The job's two Kafka sinks, configured from {@link JobSettings}. */
public final class KafkaSinks {
  private KafkaSinks() {}

  /**
   * Publishes {@code updates} (the trainer's output) to the models topic: each version whole or in
   * chunks of at most {@code streamsgd.sink.max-record-bytes} ({@link ModelChunker}), and each
   * model's spec once to the published-specs topic (unless every update carries it).
   */
  public static DataStreamSink<ModelRecord> models(DataStream<ModelUpdate> updates, JobSettings s) {
    boolean specs = s.sinkSpecPublication == SpecPublication.ON_CHANGE;
    return ModelChunker.chunk(updates, s)
        .sinkTo(
            build(
                s,
                new ModelRecordSerializer(
                    s.modelsTopic,
                    OutputFraming.of(s, s.modelsTopic),
                    specs ? s.publishedSpecsTopic : null,
                    OutputFraming.of(s, s.publishedSpecsTopic)),
                "models"))
        .name("models")
        .uid("models-sink");
  }

  public static KafkaSink<DeadLetter> deadLetters(JobSettings s) {
    return build(
        s,
        new DeadLetterRecordSerializer(s.deadLettersTopic, OutputFraming.of(s, s.deadLettersTopic)),
        "dead-letters");
  }

  public static KafkaSink<DriftEvent> modelEvents(JobSettings s) {
    return build(
        s,
        new DriftEventRecordSerializer(s.modelEventsTopic, OutputFraming.of(s, s.modelEventsTopic)),
        "model-events");
  }

  private static <T> KafkaSink<T> build(
      JobSettings s, KafkaRecordSerializationSchema<T> serializer, String name) {
    boolean exactlyOnce = s.deliveryGuarantee == SinkGuarantee.EXACTLY_ONCE;
    Properties producer = s.kafkaClientProperties();
    // Room for the largest record (a version or chunk of at most the limit), its batch's framing
    // and a dead letter's envelope; a max.request.size given in the Kafka properties wins.
    producer.putIfAbsent("max.request.size", String.valueOf(s.sinkMaxRecordBytes + 65_536));
    return KafkaSink.<T>builder()
        .setBootstrapServers(s.bootstrapServers)
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(
            exactlyOnce
                ? org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE
                : org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(s.transactionalIdPrefix + "-" + name)
        // The connector's default (1 h) exceeds the broker's transaction.max.timeout.ms (15 min).
        .setProperty("transaction.timeout.ms", String.valueOf(s.transactionTimeout.toMillis()))
        .setProperty("compression.type", s.sinkCompression.kafkaName())
        .build();
  }
}
