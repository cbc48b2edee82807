package io.streamsgd.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkFraming;
import io.streamsgd.job.testing.ReplayCheck;
import io.streamsgd.job.testing.SharedKafkaFlink;
import io.streamsgd.job.testing.TestInput;
import io.streamsgd.job.testing.TopicIO;
import io.streamsgd.job.testing.Topics;
import io.streamsgd.registry.SchemaRegistryProcess;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.codec.FramedCodec;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import io.streamsgd.schema.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Confluent wire format against a real schema registry (Apicurio, its own process). One model
 * is fed in single-object encoding, its twin in the Confluent framing with evolved writer schemas
 * (fields added with defaults); both must end with the same parameters, bit for bit. Records whose
 * schema id the registry does not know, or whose schema is not a sample's, go to dead letters as
 * UNKNOWN_SCHEMA. Halfway the registry is killed while samples of a schema the trainer has not
 * looked up yet arrive: the trainer waits, nothing is dropped or dead-lettered, and once the
 * registry is back every sample is trained. The job publishes in the Confluent framing too.
 */
class ConfluentFramingITCase {
  @RegisterExtension static final SharedKafkaFlink KAFKA_FLINK = new SharedKafkaFlink();

  static final int SAMPLES = 600;
  static final int BATCH = 10;
  static final int UNKNOWN_ID = 987_654;

  static final ModelSpec PLAIN =
      ModelSpecs.withFixedBatches(ModelSpecs.linearRegression("plain", 3, 0.1, BATCH), BATCH);

  @TempDir static Path tmp;
  static SchemaRegistryProcess registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    Path dir = tmp.resolve("registry");
    registry =
        SchemaRegistryProcess.start(
            dir, 0, SchemaRegistryProcess.fileStorage(dir), Duration.ofMinutes(2));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void evolvedConfluentSamplesTrainAsSingleObjectOnesThroughARegistryOutage() throws Exception {
    TopicIO io = KAFKA_FLINK.io();
    Topics topics = KAFKA_FLINK.topics(1, 1);
    String url = registry.confluentUrl();
    // The test's own client, not the process-wide cache the trainer (same JVM) uses: the trainer
    // must look every id up itself.
    SchemaRegistryClient producerSide = new SchemaRegistryClient(RegistryConfig.of(url));
    Schema evolved = withStringField(TrainingSample.getClassSchema(), "producer");
    Schema evolvedAgain = withStringField(evolved, "region");
    int specId = producerSide.register(topics.specs() + "-value", ModelSpec.getClassSchema());
    int firstId = producerSide.register(topics.samples() + "-value", evolved);
    int secondId = producerSide.register(topics.samples() + "-value", evolvedAgain);
    Schema click =
        SchemaBuilder.record("Click")
            .namespace("com.example")
            .fields()
            .requiredString("url")
            .endRecord();
    int clickId = producerSide.register("clicks-value", click);
    assertThat(List.of(specId, firstId, secondId, clickId)).doesNotHaveDuplicates();

    ModelSpec framedSpec = ModelSpec.newBuilder(PLAIN).setModelId("framed").build();
    io.produce(
        topics.specs(),
        List.of(
            new ProducerRecord<>(topics.specs(), key("plain"), Codecs.MODEL_SPEC.encode(PLAIN)),
            new ProducerRecord<>(
                topics.specs(),
                key("framed"),
                ConfluentFraming.fromSingleObject(Codecs.MODEL_SPEC.encode(framedSpec), specId))));

    List<ProducerRecord<byte[], byte[]>> plain =
        TestInput.samples(topics.samples(), Map.of("plain", PLAIN), SAMPLES, 0);
    List<ProducerRecord<byte[], byte[]>> firstHalf = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> secondHalf = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      ProducerRecord<byte[], byte[]> p = plain.get(i);
      TrainingSample twin = Codecs.TRAINING_SAMPLE.decode(p.value());
      twin.setModelId("framed");
      byte[] framed =
          i < SAMPLES / 2
              ? confluent(twin, evolved, firstId)
              : confluent(twin, evolvedAgain, secondId);
      List<ProducerRecord<byte[], byte[]>> half = i < SAMPLES / 2 ? firstHalf : secondHalf;
      half.add(p);
      half.add(new ProducerRecord<>(topics.samples(), null, p.timestamp(), key("framed"), framed));
    }
    // Bad records, all in the first half: an id the registry never gave, and a registered schema
    // that is not a training sample.
    List<byte[]> bad =
        List.of(
            ConfluentFraming.fromSingleObject(plain.get(0).value(), UNKNOWN_ID),
            confluentRecord(click, clickId, clickRecord(click, "https://example.com/a")),
            ConfluentFraming.fromSingleObject(plain.get(1).value(), UNKNOWN_ID),
            confluentRecord(click, clickId, clickRecord(click, "https://example.com/b")));
    for (int i = 0; i < bad.size(); i++) {
      firstHalf.add(
          50 * (i + 1),
          new ProducerRecord<>(
              topics.samples(), null, TestInput.START_TIME, key("framed"), bad.get(i)));
    }

    Configuration c = topics.jobOptions(KAFKA_FLINK.bootstrapServers());
    c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
    c.set(JobOptions.REGISTRY_URL, url);
    c.set(JobOptions.SINK_FRAMING, SinkFraming.CONFLUENT);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    StreamSgdJob.build(env, JobSettings.from(c));
    JobClient job = env.executeAsync("confluent framing");
    FramedCodec<ModelUpdate> updates =
        FramedCodec.of(Codecs.MODEL_UPDATE, CachedRegistry.shared(RegistryConfig.of(url)));
    FramedCodec<DeadLetter> deadLetters =
        FramedCodec.of(Codecs.DEAD_LETTER, CachedRegistry.shared(RegistryConfig.of(url)));
    try {
      io.produce(topics.samples(), firstHalf);
      awaitSeen(io, topics, updates, SAMPLES / 2);

      registry.kill();
      io.produce(topics.samples(), secondHalf);
      Thread.sleep(5_000);
      // Waiting, not guessing: no model moved on (the framed twin's next sample needs the
      // registry, and the plain one's samples queue behind it) and nothing was dead-lettered.
      Map<String, List<ModelUpdate>> during =
          ReplayCheck.updatesByModel(io.readAllCommitted(topics.models()), updates);
      assertThat(during.get("plain"))
          .last()
          .extracting(ModelUpdate::getSamplesSeen)
          .isEqualTo(300L);
      assertThat(during.get("framed"))
          .last()
          .extracting(ModelUpdate::getSamplesSeen)
          .isEqualTo(300L);
      assertThat(io.readAllCommitted(topics.deadLetters())).hasSize(bad.size());

      registry = registry.restart(Duration.ofMinutes(2));
      Map<String, List<ModelUpdate>> after = awaitSeen(io, topics, updates, SAMPLES);

      ReplayCheck.assertContiguous("plain", after.get("plain"), SAMPLES);
      ReplayCheck.assertContiguous("framed", after.get("framed"), SAMPLES);
      for (int v = 0; v < SAMPLES / BATCH; v++) {
        assertThat(ReplayCheck.denseWeights(after.get("framed").get(v).getParameters()))
            .as("version %d", v + 1)
            .containsExactly(ReplayCheck.denseWeights(after.get("plain").get(v).getParameters()));
      }

      List<ConsumerRecord<byte[], byte[]>> letters = io.readAllCommitted(topics.deadLetters());
      assertThat(letters).hasSize(bad.size());
      List<DeadLetter> read = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : letters) {
        read.add(deadLetters.decode(r.value()));
      }
      assertThat(read)
          .extracting(DeadLetter::getReason)
          .containsOnly(DeadLetterReason.UNKNOWN_SCHEMA);
      assertThat(read)
          .extracting(d -> ByteBuffer.wrap(bytes(d.getOriginalValue())))
          .containsExactlyInAnyOrderElementsOf(bad.stream().map(ByteBuffer::wrap).toList());
      assertThat(read)
          .filteredOn(d -> d.getDetail().contains(String.valueOf(UNKNOWN_ID)))
          .hasSize(2);
      assertThat(read).filteredOn(d -> d.getDetail().contains("cannot be read as")).hasSize(2);

      // Published in the Confluent framing, under the id registered for the models topic.
      int modelsId =
          producerSide.register(topics.models() + "-value", ModelUpdate.getClassSchema());
      for (ConsumerRecord<byte[], byte[]> r : io.readAllCommitted(topics.models())) {
        if (r.value() != null) {
          assertThat(ConfluentFraming.isFramed(r.value())).isTrue();
          assertThat(ConfluentFraming.schemaId(r.value())).isEqualTo(modelsId);
        }
      }
    } finally {
      job.cancel().get();
    }
  }

  static Map<String, List<ModelUpdate>> awaitSeen(
      TopicIO io, Topics topics, FramedCodec<ModelUpdate> codec, long samples) throws Exception {
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("plain", samples);
    expected.put("framed", samples);
    return ReplayCheck.updatesByModel(
        io.readCommitted(
            topics.models(), Duration.ofSeconds(90), l -> ReplayCheck.allSeen(l, expected, codec)),
        codec);
  }

  /** {@code base} with one more string field, defaulting to "", as a newer producer's schema. */
  static Schema withStringField(Schema base, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : base.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(
        new Schema.Field(name, Schema.create(Schema.Type.STRING), "added by a newer producer", ""));
    return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
  }

  /** The sample as a producer on {@code writer} writes it: Confluent-framed, new fields set. */
  static byte[] confluent(TrainingSample sample, Schema writer, int id) throws IOException {
    byte[] single = Codecs.TRAINING_SAMPLE.encode(sample);
    GenericRecord record =
        new GenericDatumReader<GenericRecord>(TrainingSample.getClassSchema(), writer)
            .read(null, DecoderFactory.get().binaryDecoder(single, 10, single.length - 10, null));
    for (Schema.Field f : writer.getFields()) {
      if (TrainingSample.getClassSchema().getField(f.name()) == null) {
        record.put(f.name(), "java-" + f.name());
      }
    }
    return confluentRecord(writer, id, record);
  }

  static GenericRecord clickRecord(Schema click, String url) {
    GenericRecord r = new GenericData.Record(click);
    r.put("url", url);
    return r;
  }

  static byte[] confluentRecord(Schema writer, int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ConfluentFraming.MAGIC);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }
}
