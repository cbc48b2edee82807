package io.streamsgd.bench.kernel;

import java.util.Arrays;
import org.vowpalwabbit.spark.VowpalWabbitExample;
import org.vowpalwabbit.spark.VowpalWabbitNative;
import org.vowpalwabbit.spark.prediction.ScalarPrediction;
import vowpalWabbit.learner.VWLearners;
import vowpalWabbit.learner.VWScalarLearner;

/**
 * Vowpal Wabbit (9.3.0, in this process, one thread) on the hashed examples, through its two Java
 * paths: the native example API with the sparse namespace method (the buckets streamsgd's hashing
 * gives the names) and the text learner (VW parses and hashes the names itself). Logistic loss and
 * link, 2^20 weights, its default adaptive, normalized, invariant updates; each example is
 * predicted before it is learned, so the mean of those losses is VW's progressive validation loss.
 * Examples are generated in chunks outside the timed spans, so only VW's work is measured.
 */
public final class VowpalWabbitHashedPeer {
  public static final int BITS = 20;
  public static final String ARGS =
      "--loss_function logistic --link logistic -b " + BITS + " --quiet";

  private static final int CHUNK = 8192;

  /** One pass: how many examples, VW's time on them, and the progressive mean log loss. */
  public record Pass(long examples, double seconds, double progressiveLogLoss) {
    public double examplesPerSecond() {
      return examples / seconds;
    }
  }

  private final long seed;

  public VowpalWabbitHashedPeer(long seed) {
    this.seed = seed;
  }

  /** The first {@code n} examples through the native example API, from a fresh model. */
  public Pass arrays(long n) throws Exception {
    HashedExamples source = new HashedExamples(seed);
    int[][] buckets = new int[CHUNK][];
    double[] labels = new double[CHUNK];
    double[] ones = new double[HashedExamples.FEATURES];
    Arrays.fill(ones, 1.0);
    long nanos = 0;
    double loss = 0;
    try (VowpalWabbitNative vw = new VowpalWabbitNative(ARGS);
        VowpalWabbitExample example = vw.createExample()) {
      for (long done = 0; done < n; ) {
        int m = (int) Math.min(CHUNK, n - done);
        for (int i = 0; i < m; i++) {
          HashedExamples.Example e = source.next();
          int[] b = new int[e.ranks().length];
          for (int j = 0; j < b.length; j++) {
            b[j] = HashedExamples.bucket(e.ranks()[j], BITS);
          }
          buckets[i] = b;
          labels[i] = e.label();
        }
        long start = System.nanoTime();
        for (int i = 0; i < m; i++) {
          example.clear();
          example.setLabel(1f, labels[i] > 0.5 ? 1f : -1f);
          example.addToNamespaceSparse('f', buckets[i], ones);
          example.learn();
          loss +=
              LogisticData.logLoss(
                  ((ScalarPrediction) example.getPrediction()).getValue(), labels[i]);
        }
        nanos += System.nanoTime() - start;
        done += m;
      }
    }
    return new Pass(n, nanos / 1e9, loss / n);
  }

  /** The first {@code n} examples as VW text lines ("1 |f w3 w17 ..."), from a fresh model. */
  public Pass text(long n) throws Exception {
    HashedExamples source = new HashedExamples(seed);
    String[] lines = new String[CHUNK];
    double[] labels = new double[CHUNK];
    long nanos = 0;
    double loss = 0;
    try (VWScalarLearner vw = VWLearners.create(ARGS)) {
      for (long done = 0; done < n; ) {
        int m = (int) Math.min(CHUNK, n - done);
        for (int i = 0; i < m; i++) {
          HashedExamples.Example e = source.next();
          StringBuilder line = new StringBuilder(e.label() > 0.5 ? "1 |f" : "-1 |f");
          for (int rank : e.ranks()) {
            line.append(' ').append(HashedExamples.name(rank));
          }
          lines[i] = line.toString();
          labels[i] = e.label();
        }
        long start = System.nanoTime();
        for (int i = 0; i < m; i++) {
          loss += LogisticData.logLoss(vw.learn(lines[i]), labels[i]);
        }
        nanos += System.nanoTime() - start;
        done += m;
      }
    }
    return new Pass(n, nanos / 1e9, loss / n);
  }
}
