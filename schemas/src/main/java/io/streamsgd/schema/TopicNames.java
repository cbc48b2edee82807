package io.streamsgd.schema;

/**
 * The default names of streamsgd's topics, part of the contract like the schemas of their records.
 * Every component (job options, topic creation, serving, producers) takes its default from here;
 * each can be given other names.
 */
public final class TopicNames {
  /** {@link TrainingSample} records, keyed by model id. */
  public static final String SAMPLES = "samples";

  /** {@link ModelSpec} records, keyed by model id; compacted. */
  public static final String MODEL_SPECS = "model-specs";

  /** {@link ModelUpdate} records, keyed by model id; compacted. */
  public static final String MODELS = "models";

  /**
   * The topic of the {@link PublishedSpec} records of a models topic: its name followed by {@value
   * #PUBLISHED_SPECS_SUFFIX}, compacted, with as many partitions (a model's spec goes to the
   * partition of its model id, as its versions do). Derived, like Kafka Streams' changelogs, so
   * that naming the models topic names both.
   */
  public static String publishedSpecs(String modelsTopic) {
    return modelsTopic + PUBLISHED_SPECS_SUFFIX;
  }

  public static final String PUBLISHED_SPECS_SUFFIX = "-published-specs";

  /** {@link DeadLetter} records: every input the trainer could not use, with the reason. */
  public static final String DEAD_LETTERS = "dead-letters";

  /**
   * {@link DriftEvent} records: what each model's drift detector saw and did, keyed by model id.
   */
  public static final String MODEL_EVENTS = "model-events";

  /** {@link PredictionRequest} records, keyed by model id. */
  public static final String PREDICTION_REQUESTS = "prediction-requests";

  /** {@link Prediction} records, keyed by model id. */
  public static final String PREDICTIONS = "predictions";

  private TopicNames() {}
}
