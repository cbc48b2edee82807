package io.streamsgd.schema.codec;

import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.TrainingSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * One shared, thread-safe codec per published record type. Each also reads every earlier version of
 * its schema listed in {@code io/streamsgd/schema/history/index.txt}.
 */
public final class Codecs {
  public static final SingleObjectCodec<TrainingSample> TRAINING_SAMPLE =
      withHistory(SingleObjectCodec.of(TrainingSample.class));
  public static final SingleObjectCodec<ModelSpec> MODEL_SPEC =
      withHistory(SingleObjectCodec.of(ModelSpec.class));
  public static final SingleObjectCodec<ModelUpdate> MODEL_UPDATE =
      withHistory(SingleObjectCodec.of(ModelUpdate.class));
  public static final SingleObjectCodec<PublishedSpec> PUBLISHED_SPEC =
      withHistory(SingleObjectCodec.of(PublishedSpec.class));
  public static final SingleObjectCodec<DeadLetter> DEAD_LETTER =
      withHistory(SingleObjectCodec.of(DeadLetter.class));
  public static final SingleObjectCodec<DriftEvent> DRIFT_EVENT =
      withHistory(SingleObjectCodec.of(DriftEvent.class));
  public static final SingleObjectCodec<PredictionRequest> PREDICTION_REQUEST =
      withHistory(SingleObjectCodec.of(PredictionRequest.class));
  public static final SingleObjectCodec<Prediction> PREDICTION =
      withHistory(SingleObjectCodec.of(Prediction.class));

  private Codecs() {}

  /** Earlier versions of a record's schema, oldest first. */
  public static List<Schema> history(String recordName) {
    List<Schema> out = new ArrayList<>();
    try (InputStream index = Codecs.class.getResourceAsStream(HISTORY + "index.txt")) {
      if (index == null) {
        return out;
      }
      for (String file : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
        if (file.startsWith(recordName + "-")) {
          try (InputStream in = Codecs.class.getResourceAsStream(HISTORY + file)) {
            out.add(new Schema.Parser().parse(in));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema history", e);
    }
    return out;
  }

  private static final String HISTORY = "/io/streamsgd/schema/history/";

  private static <T extends org.apache.avro.specific.SpecificRecord>
      SingleObjectCodec<T> withHistory(SingleObjectCodec<T> codec) {
    for (Schema old : history(codec.schema().getName())) {
      codec.withWriterSchema(old);
    }
    return codec;
  }
}
