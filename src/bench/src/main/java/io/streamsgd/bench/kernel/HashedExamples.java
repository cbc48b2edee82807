package io.streamsgd.bench.kernel;

import io.streamsgd.core.feature.FeatureHasher;
import java.util.Random;

/**
 * The hashed benchmark's examples, one at a time: {@link #FEATURES} distinct feature names (value
 * 1) drawn from a vocabulary of {@link #VOCABULARY} names with Zipf frequencies (a few names are in
 * most examples, most are rare, as words and ids are), labelled by a hidden logistic model with one
 * N(0, 4 / FEATURES) weight per name and intercept 0.25. Deterministic per seed, so the topics and
 * Vowpal Wabbit see the very same examples in the same order.
 */
public final class HashedExamples {
  /**
   * Distinct names: at most this many columns of a 2^20 model are ever touched, which keeps a
   * published model (about 11 bytes a column) under one Kafka record.
   */
  public static final int VOCABULARY = 40_000;

  public static final int FEATURES = 20;

  /** Frequency of the name of rank k is proportional to k^-ZIPF_EXPONENT. */
  public static final double ZIPF_EXPONENT = 1.0;

  private static final double INTERCEPT = 0.25;

  /** One example: its names as ranks in the vocabulary (see {@link #name}), and a 0/1 label. */
  public record Example(int[] ranks, double label) {}

  private final Random rnd;
  private final double[] cumulative = new double[VOCABULARY];
  private final double[] hidden = new double[VOCABULARY];

  public HashedExamples(long seed) {
    rnd = new Random(seed);
    double sum = 0;
    for (int k = 0; k < VOCABULARY; k++) {
      sum += Math.pow(k + 1, -ZIPF_EXPONENT);
      cumulative[k] = sum;
      hidden[k] = rnd.nextGaussian() * 2 / Math.sqrt(FEATURES);
    }
  }

  /** The feature name of a rank. */
  public static String name(int rank) {
    return "w" + rank;
  }

  /** The bucket streamsgd's hashing gives a rank's name among 2^bits. */
  public static int bucket(int rank, int bits) {
    return FeatureHasher.bucket(name(rank), bits);
  }

  public Example next() {
    int[] ranks = new int[FEATURES];
    double z = INTERCEPT;
    for (int n = 0; n < FEATURES; ) {
      int rank = draw();
      if (!contains(ranks, n, rank)) {
        ranks[n++] = rank;
        z += hidden[rank];
      }
    }
    return new Example(ranks, rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }

  /** A rank from the Zipf distribution, by inverting its cumulative sums. */
  private int draw() {
    double u = rnd.nextDouble() * cumulative[VOCABULARY - 1];
    int lo = 0;
    int hi = VOCABULARY - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean contains(int[] ranks, int n, int rank) {
    for (int i = 0; i < n; i++) {
      if (ranks[i] == rank) {
        return true;
      }
    }
    return false;
  }
}
