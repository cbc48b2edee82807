package io.streamsgd.schema.codec;

import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.TrainingSample;

/** One shared, thread-safe codec per published record type. */
public final class Codecs {
  public static final SingleObjectCodec<TrainingSample> TRAINING_SAMPLE =
      SingleObjectCodec.of(TrainingSample.class);
  public static final SingleObjectCodec<ModelSpec> MODEL_SPEC =
      SingleObjectCodec.of(ModelSpec.class);
  public static final SingleObjectCodec<ModelUpdate> MODEL_UPDATE =
      SingleObjectCodec.of(ModelUpdate.class);
  public static final SingleObjectCodec<DeadLetter> DEAD_LETTER =
      SingleObjectCodec.of(DeadLetter.class);

  private Codecs() {}
}
