package io.streamsgd.bench.experiment;

import io.streamsgd.core.avro.SampleConversion;
import io.streamsgd.core.train.Sample;
import io.streamsgd.core.train.SampleValidator;
import io.streamsgd.input.format.ParsedSample;
import io.streamsgd.input.format.SampleFileReader;
import io.streamsgd.input.format.VwReader;
import io.streamsgd.schema.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A time-ordered Vowpal Wabbit file (the committed flights sample) as the samples {@code streamsgd
 * run} trains on: -1/1 labels as 0/1, named features hashed into the spec's 2^hashBits buckets, in
 * file order.
 */
final class FlightsStream {
  private FlightsStream() {}

  static List<Sample> read(Path file, ModelSpec spec) throws IOException {
    List<Sample> out = new ArrayList<>();
    try (VwReader reader = new VwReader(file, false)) {
      for (ParsedSample p = reader.next(); p != null; p = reader.next()) {
        double label = p.label() == -1.0 ? 0.0 : p.label();
        Sample raw =
            new Sample(
                spec.getModelId(),
                SampleConversion.features(p.features()),
                label,
                p.weight(),
                out.size(),
                Sample.Origin.UNKNOWN);
        SampleValidator.Fitted fitted = SampleValidator.fit(raw, spec);
        if (fitted.sample() == null) {
          throw new IOException(
              "line " + reader.position() + " does not fit the model: " + fitted.rejection());
        }
        out.add(fitted.sample());
      }
    } catch (SampleFileReader.BadLineException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
