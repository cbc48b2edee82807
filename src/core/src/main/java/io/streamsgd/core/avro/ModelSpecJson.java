package io.streamsgd.core.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.schema.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A {@link ModelSpec} as JSON: how people write specs by hand and in configuration. Fields may be
 * left out (they take the schema's defaults), and optional values are written bare ({@code
 * "interceptLearningRate": 0.5}); Avro's strict JSON encoding, as {@link #toJson} writes it, is
 * read too.
 */
public final class ModelSpecJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelSpecJson() {}

  public static ModelSpec parse(String json) {
    try {
      GenericRecord generic = record(ModelSpec.getClassSchema(), MAPPER.readTree(json), "");
      return (ModelSpec)
          SpecificData.getForClass(ModelSpec.class).deepCopy(ModelSpec.getClassSchema(), generic);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a ModelSpec in JSON: " + e.getMessage(), e);
    }
  }

  private static GenericRecord record(Schema schema, JsonNode node, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be an object");
    }
    GenericRecordBuilder builder = new GenericRecordBuilder(schema);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Schema.Field field = schema.getField(e.getKey());
      if (field == null) {
        throw new IllegalArgumentException("unknown field " + path + e.getKey());
      }
      builder.set(field, value(field.schema(), e.getValue(), path + e.getKey() + "."));
    }
    return builder.build(); // fails naming a required field that is missing
  }

  private static Object value(Schema schema, JsonNode node, String path) {
    switch (schema.getType()) {
      case RECORD:
        return record(schema, node, path);
      case ENUM:
        return new GenericData.EnumSymbol(schema, node.asText());
      case STRING:
        return node.asText();
      case INT:
        return node.intValue();
      case LONG:
        return node.longValue();
      case DOUBLE:
        return node.doubleValue();
      case BOOLEAN:
        return node.booleanValue();
      case UNION:
        return union(schema, node, path);
      case MAP:
        return map(schema, node, path);
      default:
        throw new IllegalArgumentException(path + ": unsupported type " + schema.getType());
    }
  }

  /** A JSON object whose values are of the map's value type (a drift detector's parameters). */
  private static Map<String, Object> map(Schema schema, JsonNode node, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be an object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), value(schema.getValueType(), e.getValue(), path + e.getKey() + "."));
    }
    return out;
  }

  /**
   * A nullable value: null, a bare value of the other branch, or Avro's {"type": value}, where a
   * named type (the drift spec's record) is keyed by its full name.
   */
  private static Object union(Schema schema, JsonNode node, String path) {
    if (node.isNull()) {
      return null;
    }
    Schema branch =
        schema.getTypes().stream()
            .filter(t -> t.getType() != Schema.Type.NULL)
            .findFirst()
            .orElseThrow();
    String key =
        switch (branch.getType()) {
          case RECORD, ENUM, FIXED -> branch.getFullName();
          default -> branch.getType().getName();
        };
    if (node.isObject() && node.size() == 1 && node.has(key)) {
      node = node.get(key);
    }
    return value(branch, node, path);
  }

  /** Avro's JSON encoding of a spec (optional values wrapped as {"type": value}). */
  public static String toJson(ModelSpec spec) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(ModelSpec.getClassSchema(), out);
      new SpecificDatumWriter<>(ModelSpec.class).write(spec, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
