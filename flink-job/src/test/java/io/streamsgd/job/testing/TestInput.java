package io.streamsgd.job.testing;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Input for integration tests: specs, then {@code n} samples per model interleaved across models (z
 * = 1.5 x0 - 2 x1 + 0.5 x2 + 0.25; regression labels z + noise, binary labels drawn from a logistic
 * model of z, three classes by thresholds on z + noise), with junk records mixed in; a model with
 * hash bits gets x as named features among many others. Deterministic.
 */
public final class TestInput {
  /** Event time of the first sample; the i-th sample of each model is 10 ms later per step. */
  public static final long START_TIME = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private TestInput() {}

  public static void produce(
      TopicIO io,
      String samplesTopic,
      String specsTopic,
      Map<String, ModelSpec> specs,
      int n,
      int junk) {
    produceSpecs(io, specsTopic, specs);
    io.produce(samplesTopic, samples(samplesTopic, specs, n, junk));
  }

  /** As {@link #produce}, the samples spread evenly over {@code duration}: a stream that lasts. */
  public static void produceOver(
      TopicIO io,
      String samplesTopic,
      String specsTopic,
      Map<String, ModelSpec> specs,
      int n,
      java.time.Duration duration)
      throws InterruptedException {
    produceSpecs(io, specsTopic, specs);
    List<ProducerRecord<byte[], byte[]>> all = samples(samplesTopic, specs, n, 0);
    int chunks = (int) Math.max(1, duration.toMillis() / 100);
    int size = (all.size() + chunks - 1) / chunks;
    try (var producer = io.producer()) {
      for (int from = 0; from < all.size(); from += size) {
        for (ProducerRecord<byte[], byte[]> r :
            all.subList(from, Math.min(all.size(), from + size))) {
          producer.send(r);
        }
        producer.flush();
        Thread.sleep(100);
      }
    }
  }

  private static void produceSpecs(TopicIO io, String specsTopic, Map<String, ModelSpec> specs) {
    List<ProducerRecord<byte[], byte[]>> specRecords = new ArrayList<>();
    specs.forEach(
        (id, spec) ->
            specRecords.add(
                new ProducerRecord<>(specsTopic, key(id), Codecs.MODEL_SPEC.encode(spec))));
    io.produce(specsTopic, specRecords);
  }

  /** The sample records (and junk): deterministic. */
  public static List<ProducerRecord<byte[], byte[]>> samples(
      String samplesTopic, Map<String, ModelSpec> specs, int n, int junk) {
    Random rnd = new Random(42);
    long start = START_TIME;
    List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
    int junkEvery = junk > 0 ? Math.max(1, n / junk) : Integer.MAX_VALUE;
    int junkLeft = junk;
    String firstModel = specs.keySet().iterator().next();
    for (int i = 0; i < n; i++) {
      for (Map.Entry<String, ModelSpec> e : specs.entrySet()) {
        double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextGaussian()};
        double z = 1.5 * x[0] - 2 * x[1] + 0.5 * x[2] + 0.25;
        double y =
            switch (e.getValue().getTask()) {
              // a model whose id starts with "drifting" sees its classes swap halfway
              case BINARY ->
                  (rnd.nextDouble() < 1 / (1 + Math.exp(-3 * z)))
                          != (e.getKey().startsWith("drifting") && i >= n / 2)
                      ? 1
                      : 0;
              case MULTICLASS ->
                  z + 0.2 * rnd.nextGaussian() > 0.5
                      ? 2
                      : (z + 0.2 * rnd.nextGaussian() > -0.5 ? 1 : 0);
              default -> z + 0.1 * rnd.nextGaussian();
            };
        TrainingSample s =
            TrainingSample.newBuilder()
                .setModelId(e.getKey())
                .setFeatures(
                    e.getValue().getHashBits() > 0
                        ? wide(x, i)
                        : new DenseFeatures(List.of(x[0], x[1], x[2])))
                .setLabel(y)
                .setEventTime(Instant.ofEpochMilli(start + i * 10L))
                .build();
        samples.add(
            new ProducerRecord<>(
                samplesTopic,
                null,
                start + i * 10L,
                key(e.getKey()),
                Codecs.TRAINING_SAMPLE.encode(s)));
      }
      if (junkLeft > 0 && i % junkEvery == 0) {
        samples.add(
            new ProducerRecord<>(
                samplesTopic,
                null,
                start + i * 10L,
                key(firstModel),
                ("junk " + i).getBytes(StandardCharsets.UTF_8)));
        junkLeft--;
      }
    }
    return samples;
  }

  /**
   * A hashed model's features: x under three names, and 20 of 5,000 other names (drawn apart from
   * the shared sequence, so other models' samples stay as they are) that give a wide model many
   * weights, enough to be published in chunks.
   */
  private static NamedFeatures wide(double[] x, int i) {
    Random names = new Random(i);
    List<String> n = new ArrayList<>(List.of("x0", "x1", "x2"));
    List<Double> v = new ArrayList<>(List.of(x[0], x[1], x[2]));
    for (int k = 0; k < 20; k++) {
      n.add("f" + names.nextInt(5_000));
      v.add(0.1);
    }
    return new NamedFeatures(n, v);
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }
}
