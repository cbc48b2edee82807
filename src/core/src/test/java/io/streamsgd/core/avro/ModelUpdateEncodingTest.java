package io.streamsgd.core.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.core.train.BatchResult;
import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.MinibatchUpdate;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.BatchCloseReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.codec.Codecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The codec's own encoder writes exactly the bytes of Avro's single-object encoder. */
class ModelUpdateEncodingTest {
  private static final BinaryMessageEncoder<ModelUpdate> AVRO =
      new BinaryMessageEncoder<>(
          new SpecificData(ModelUpdate.class.getClassLoader()), ModelUpdate.getClassSchema());

  @Test
  void updatesEncodeToAvrosBytes() throws Exception {
    for (ModelUpdate u : updates(new Random(7), 200)) {
      assertThat(Codecs.MODEL_UPDATE.encode(u)).isEqualTo(AVRO.encode(u).array());
      assertThat(Codecs.MODEL_UPDATE.decode(Codecs.MODEL_UPDATE.encode(u))).isEqualTo(u);
    }
  }

  @Test
  void threadsEncodeIndependently() throws Exception {
    List<ModelUpdate> updates = updates(new Random(11), 400);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (ModelUpdate u : updates) {
                    if (!java.util.Arrays.equals(
                        Codecs.MODEL_UPDATE.encode(u), AVRO.encode(u).array())) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : done) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Snapshots of regression, binary and 3-class models of several sizes after random batches. */
  private static List<ModelUpdate> updates(Random rnd, int count) {
    List<ModelUpdate> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int d = 1 + rnd.nextInt(300);
      ModelSpec spec =
          switch (i % 3) {
            case 0 -> ModelSpecs.linearRegression("reg-" + i, d, 0.01, 8);
            case 1 -> ModelSpecs.logisticRegression("bin-" + i, d, 0.1, 8);
            default -> ModelSpecs.softmaxRegression("multi-" + i, d, 3, 0.1, 8);
          };
      LearnerState state = LearnerState.initial(spec);
      BatchResult result = null;
      for (int b = 0; b <= rnd.nextInt(3); b++) {
        List<Sample> batch = new ArrayList<>();
        for (int s = 0; s < 1 + rnd.nextInt(8); s++) {
          double[] x = rnd.doubles(d, -1, 1).toArray();
          double y = i % 3 == 0 ? rnd.nextGaussian() : rnd.nextInt(i % 3 == 1 ? 2 : 3);
          batch.add(
              new Sample(
                  spec.getModelId(),
                  FeatureVector.dense(x),
                  y,
                  1.0,
                  rnd.nextInt(1 << 30),
                  Sample.Origin.UNKNOWN));
        }
        result = MinibatchUpdate.apply(state, batch);
      }
      out.add(
          ModelUpdates.snapshot(
              state,
              result,
              BatchCloseReason.SIZE,
              rnd.nextBoolean() ? null : (long) i,
              1_700_000_000_000L + i));
    }
    return out;
  }
}
