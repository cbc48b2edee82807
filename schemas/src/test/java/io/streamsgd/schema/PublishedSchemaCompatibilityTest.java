package io.streamsgd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schemas are a published contract: every released version stays readable by the current code
 * (backward) and every current record stays readable by released readers (forward). Each release
 * adds its schemas under src/test/resources/published/VERSION/.
 */
class PublishedSchemaCompatibilityTest {
  /** Released versions; append each new release here. */
  static final List<String> RELEASES = List.of("0.1.0");

  static final List<Schema> CURRENT =
      List.of(
          TrainingSample.getClassSchema(),
          ModelSpec.getClassSchema(),
          ModelUpdate.getClassSchema(),
          DeadLetter.getClassSchema(),
          PredictionRequest.getClassSchema(),
          Prediction.getClassSchema());

  static Stream<Arguments> publishedSchemas() {
    return RELEASES.stream()
        .flatMap(release -> CURRENT.stream().map(current -> Arguments.of(release, current)));
  }

  /** A release's schema, stored self-contained (named types inlined), as other languages use it. */
  static Schema published(String release, String name) throws IOException {
    try (InputStream in =
        PublishedSchemaCompatibilityTest.class.getResourceAsStream(
            "/published/" + release + "/" + name + ".avsc")) {
      assertThat(in).as("published schema %s of %s", name, release).isNotNull();
      return new Schema.Parser().parse(in);
    }
  }

  @ParameterizedTest(name = "{1} against release {0}")
  @MethodSource("publishedSchemas")
  void currentSchemaReadsAndIsReadByEveryRelease(String release, Schema current)
      throws IOException {
    Schema old = published(release, current.getName());
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
        .as("current reader, %s writer", release)
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    // Forward: a released reader reads current records. Two exceptions allowed: new symbols of
    // enums that have no default on purpose (task, loss, optimizer, ...): an old reader must
    // refuse a spec it cannot honour rather than guess, and that refusal is a dead letter; and an
    // update's spec, now optional (published once on its own topic): a released reader reads the
    // updates that still carry it (the trainer's EVERY_UPDATE mode, tested below) and no others.
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(old, current)
                .getResult()
                .getIncompatibilities())
        .as("%s reader, current writer", release)
        .allSatisfy(
            i ->
                assertThat(
                        i.getType()
                                == SchemaCompatibility.SchemaIncompatibilityType
                                    .MISSING_ENUM_SYMBOLS
                            || isOptionalSpec(current, i))
                    .as(i.toString())
                    .isTrue());
  }

  private static boolean isOptionalSpec(
      Schema current, SchemaCompatibility.Incompatibility incompatibility) {
    int spec = ModelUpdate.getClassSchema().getField("spec").pos();
    return current.getName().equals("ModelUpdate")
        && incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.TYPE_MISMATCH
        && incompatibility.getLocation().startsWith("/fields/" + spec + "/type");
  }

  /**
   * An update that carries its spec, as the trainer writes them under {@code
   * streamsgd.sink.spec-publication EVERY_UPDATE}, is read by every released reader, spec and all;
   * one that names its spec by fingerprint only is refused by them (so a consumer is upgraded
   * before the trainer leaves specs out).
   */
  @Test
  void aReleasedReaderReadsAnUpdateThatCarriesItsSpec() throws Exception {
    ModelUpdate update = update("m");
    for (String release : RELEASES) {
      Schema old = published(release, "ModelUpdate");
      org.apache.avro.generic.GenericRecord read = readAs(update, old);
      assertThat(read.get("modelId")).hasToString("m");
      assertThat(((org.apache.avro.generic.GenericRecord) read.get("spec")).get("modelId"))
          .hasToString("m");
      update.setSpec(null);
      assertThatThrownBy(() -> readAs(update, old))
          .isInstanceOf(org.apache.avro.AvroTypeException.class);
      update.setSpec(spec("m"));
    }
  }

  private static ModelSpec spec(String modelId) {
    return ModelSpec.newBuilder()
        .setModelId(modelId)
        .setTask(Task.REGRESSION)
        .setLoss(Loss.SQUARED)
        .setFeatureDimension(2)
        .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.SGD).build())
        .setRegularization(RegularizationSpec.newBuilder().build())
        .setBatch(BatchPolicySpec.newBuilder().setKind(BatchPolicyKind.FIXED).build())
        .build();
  }

  private static ModelUpdate update(String modelId) {
    java.time.Instant t = java.time.Instant.ofEpochMilli(1_000);
    return ModelUpdate.newBuilder()
        .setModelId(modelId)
        .setVersion(3)
        .setSpec(spec(modelId))
        .setSpecFingerprint(42)
        .setParameters(new LinearParameters(1, 2, List.of(0.5, -1.0), List.of(0.25), null))
        .setSamplesSeen(30)
        .setBatchSize(10)
        .setCloseReason(BatchCloseReason.SIZE)
        .setMetrics(
            PrequentialMetrics.newBuilder()
                .setCount(30)
                .setLossSum(3)
                .setWeightSum(30)
                .setMeanLoss(0.1)
                .setBatchMeanLoss(0.1)
                .build())
        .setEventTimeMin(t)
        .setEventTimeMax(t)
        .setPublishedAt(t)
        .build();
  }

  private static org.apache.avro.generic.GenericRecord readAs(ModelUpdate update, Schema reader)
      throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
    new org.apache.avro.specific.SpecificDatumWriter<ModelUpdate>(ModelUpdate.class)
        .write(update, encoder);
    encoder.flush();
    return new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
            ModelUpdate.getClassSchema(), reader)
        .read(
            null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }

  @Test
  void everyEarlierSchemaInTheHistoryIsReadableAndRegistered() throws Exception {
    int checked = 0;
    for (Schema current : CURRENT) {
      for (Schema old : io.streamsgd.schema.codec.Codecs.history(current.getName())) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
            .as("current %s reads history version %s", current.getName(), old.toString().length())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(2);
    // A spec written with the first ModelSpec schema decodes with today's codec.
    Schema v1 = io.streamsgd.schema.codec.Codecs.history("ModelSpec").get(0);
    ModelSpec spec =
        ModelSpec.newBuilder()
            .setModelId("m")
            .setTask(Task.REGRESSION)
            .setLoss(Loss.SQUARED)
            .setFeatureDimension(3)
            .setOptimizer(OptimizerSpec.newBuilder().setKind(OptimizerKind.SGD).build())
            .setRegularization(RegularizationSpec.newBuilder().build())
            .setBatch(BatchPolicySpec.newBuilder().setKind(BatchPolicyKind.FIXED).build())
            .build();
    java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(current, null);
    new org.apache.avro.specific.SpecificDatumWriter<ModelSpec>(ModelSpec.class)
        .write(spec, encoder);
    encoder.flush();
    org.apache.avro.generic.GenericRecord asV1 =
        new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                ModelSpec.getClassSchema(), v1)
            .read(
                null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
    byte[] bytes =
        new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), v1)
            .encode(asV1)
            .array();
    ModelSpec read = io.streamsgd.schema.codec.Codecs.MODEL_SPEC.decode(bytes);
    assertThat(read.getModelId()).isEqualTo("m");
    assertThat(read.getDivergenceGuard().getBackoff()).isEqualTo(0.5); // the new field's default
  }

  /**
   * Close reasons added since a release (SPEC_CHANGED) reach that release's readers as the enum's
   * default, OTHER: decoded, not refused.
   */
  @Test
  void aReleasedReaderSeesANewCloseReasonAsOther() throws Exception {
    Schema current = BatchCloseReason.getClassSchema();
    for (String release : RELEASES) {
      Schema old = published(release, "ModelUpdate").getField("closeReason").schema();
      assertThat(old.getEnumSymbols()).doesNotContain("SPEC_CHANGED");
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
      new org.apache.avro.specific.SpecificDatumWriter<BatchCloseReason>(current)
          .write(BatchCloseReason.SPEC_CHANGED, encoder);
      encoder.flush();
      Object read =
          new org.apache.avro.generic.GenericDatumReader<Object>(current, old)
              .read(
                  null,
                  org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
      assertThat(read).hasToString("OTHER");
    }
  }

  @Test
  void theCheckRejectsAFieldAddedWithoutDefault() {
    // Guards the test above against passing vacuously: an incompatible change must be caught.
    Schema old = ModelSpec.getClassSchema();
    Schema.Field extra =
        new Schema.Field(
            "newRequiredField", Schema.create(Schema.Type.INT), "no default", (Object) null);
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field f : old.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(extra);
    Schema changed =
        Schema.createRecord(old.getName(), old.getDoc(), old.getNamespace(), false, fields);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, old).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }
}
