package io.streamsgd.core.avro;

import io.streamsgd.schema.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** A {@link ModelSpec} in Avro's JSON encoding: how people write specs by hand and in config. */
public final class ModelSpecJson {
  private ModelSpecJson() {}

  public static ModelSpec parse(String json) {
    try {
      return new SpecificDatumReader<>(ModelSpec.class)
          .read(null, DecoderFactory.get().jsonDecoder(ModelSpec.getClassSchema(), json));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a ModelSpec in Avro JSON: " + e.getMessage(), e);
    }
  }

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
