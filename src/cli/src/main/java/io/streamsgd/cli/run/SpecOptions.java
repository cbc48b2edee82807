package io.streamsgd.cli.run;

import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.spec.SpecValidator;
import io.streamsgd.core.spec.UpdateSize;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.schema.BatchPolicyKind;
import io.streamsgd.schema.BatchPolicySpec;
import io.streamsgd.schema.LearningRateSchedule;
import io.streamsgd.schema.Loss;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.OptimizerKind;
import io.streamsgd.schema.OptimizerSpec;
import io.streamsgd.schema.RegularizationSpec;
import io.streamsgd.schema.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A {@link ModelSpec} from a file ({@code --spec FILE}, Avro JSON) or from flags. Flags given
 * together with a file override its values. Dimension and class count default to what the data
 * shows.
 */
public final class SpecOptions {
  /** Without --publish-every, a model is published after about this many samples. */
  static final int PUBLISH_SAMPLES = 64;

  /**
   * 2^18 buckets, Vowpal Wabbit's default: few collisions for a few hundred thousand distinct
   * names, and a model of that size is stored and published as the columns it touched.
   */
  static final int DEFAULT_HASH_BITS = 18;

  /**
   * The learning defaults: plain SGD at a constant 0.05, one sample per batch. Per-sample updates
   * learn the most from each sample (a larger batch at the same rate takes smaller steps per
   * sample), and publication every {@link #PUBLISH_SAMPLES} samples keeps them as fast as batches
   * of 64. On the public flights data (docs/run.md) these defaults beat Vowpal Wabbit's own
   * (adaptive, normalized, invariant updates); a test holds them to it.
   */
  static final double DEFAULT_LEARNING_RATE = 0.05;

  static final int DEFAULT_BATCH_SIZE = 1;

  @Option(
      names = "--spec",
      description = "ModelSpec as Avro JSON; its modelId is replaced by each model's id.")
  Path specFile;

  @Option(names = "--task", description = "REGRESSION, BINARY or MULTICLASS.")
  Task task;

  @Option(names = "--loss", description = "Default: SQUARED, LOGISTIC or SOFTMAX by task.")
  Loss loss;

  @Option(
      names = "--classes",
      description = "Classes of a MULTICLASS model (default: largest label + 1).")
  Integer classes;

  @Option(
      names = "--dimension",
      description = "Feature dimension (default: from the data, or 2^hash-bits).")
  Integer dimension;

  @Option(
      names = "--hash-bits",
      description =
          "Hash named features into 2^b buckets (default 18 for named features, as Vowpal"
              + " Wabbit; models above 2^16 weights are stored and published sparse).")
  Integer hashBits;

  @Option(
      names = "--publish-every",
      description =
          "Publish the model after every n-th update (default: about every 64 samples, that is"
              + " 64 / batch size updates; the last version is always published).")
  Integer publishEvery;

  @Option(
      names = "--publish-every-ms",
      description =
          "Also publish an unpublished update once this many ms of event time have passed since"
              + " the last publication (default 0: off).")
  Long publishEveryMs;

  @Option(
      names = "--optimizer",
      description =
          "SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM or FTRL (default SGD, constant rate).")
  OptimizerKind optimizer;

  @Option(
      names = {"--learning-rate", "--lr"},
      description = "Base learning rate (FTRL: alpha). Default 0.05.")
  Double learningRate;

  @Option(
      names = "--schedule",
      description = "CONSTANT, INVERSE_SCALING, STEP_DECAY or EXPONENTIAL_DECAY.")
  LearningRateSchedule schedule;

  @Option(names = "--power-t", description = "Exponent of INVERSE_SCALING.")
  Double powerT;

  @Option(names = "--decay-rate", description = "Factor of STEP_DECAY / EXPONENTIAL_DECAY.")
  Double decayRate;

  @Option(names = "--decay-steps", description = "Updates per decay period.")
  Integer decaySteps;

  @Option(names = "--l1", description = "L1 penalty on the weights.")
  Double l1;

  @Option(names = "--l2", description = "L2 penalty on the weights.")
  Double l2;

  @Option(
      names = "--batch-size",
      description =
          "Samples per batch (default 1: an update per sample; a larger batch at the same"
              + " learning rate learns less per sample).")
  Integer batchSize;

  @Option(
      names = "--batch-policy",
      description = "FIXED or SIZE_OR_LATENCY (default FIXED: deterministic batches).")
  BatchPolicyKind batchPolicy;

  @Option(names = "--max-latency-ms", description = "Latency bound of SIZE_OR_LATENCY batches.")
  Long maxLatencyMs;

  /** The task, from the flag or the spec file; needed before reading labels. */
  Task task() throws IOException {
    if (task != null) {
      return task;
    }
    if (specFile != null) {
      return base().getTask();
    }
    throw new IllegalArgumentException("give --task (or --spec FILE)");
  }

  private ModelSpec base() throws IOException {
    if (specFile != null) {
      return ModelSpecJson.parse(Files.readString(specFile));
    }
    return ModelSpec.newBuilder()
        .setModelId("model")
        .setTask(task())
        .setLoss(Loss.SQUARED)
        .setFeatureDimension(1)
        .setOptimizer(
            OptimizerSpec.newBuilder()
                .setKind(OptimizerKind.SGD)
                .setLearningRate(DEFAULT_LEARNING_RATE)
                .build())
        .setRegularization(RegularizationSpec.newBuilder().build())
        .setBatch(
            BatchPolicySpec.newBuilder()
                .setKind(BatchPolicyKind.FIXED)
                .setSize(DEFAULT_BATCH_SIZE)
                .build())
        .build();
  }

  /**
   * The spec for {@code modelId}.
   *
   * @param dataDimension dimension the data needs (0 when only named features were seen)
   * @param dataClasses largest label + 1
   * @param named whether the data has named features (then hashing is on by default)
   */
  ModelSpec build(String modelId, int dataDimension, int dataClasses, boolean named)
      throws IOException {
    ModelSpec spec = base();
    spec.setModelId(modelId);
    if (specFile == null || loss != null) {
      spec.setLoss(loss != null ? loss : defaultLoss(spec.getTask()));
    }
    if (classes != null) {
      spec.setNumClasses(classes);
    } else if (specFile == null && spec.getTask() == Task.MULTICLASS) {
      spec.setNumClasses(Math.max(2, dataClasses));
    }
    if (hashBits != null) {
      spec.setHashBits(hashBits);
    } else if (specFile == null && named) {
      spec.setHashBits(DEFAULT_HASH_BITS);
    }
    if (dimension != null) {
      spec.setFeatureDimension(dimension);
    } else if (spec.getHashBits() > 0) {
      spec.setFeatureDimension(1 << spec.getHashBits());
    } else if (specFile == null) {
      spec.setFeatureDimension(Math.max(1, dataDimension));
    }
    OptimizerSpec o = spec.getOptimizer();
    if (optimizer != null) {
      o.setKind(optimizer);
    }
    if (learningRate != null) {
      o.setLearningRate(learningRate);
    }
    if (schedule != null) {
      o.setSchedule(schedule);
    }
    if (powerT != null) {
      o.setPowerT(powerT);
    }
    if (decayRate != null) {
      o.setDecayRate(decayRate);
    }
    if (decaySteps != null) {
      o.setDecaySteps(decaySteps);
    }
    if (l1 != null) {
      spec.getRegularization().setL1(l1);
    }
    if (l2 != null) {
      spec.getRegularization().setL2(l2);
    }
    BatchPolicySpec b = spec.getBatch();
    if (batchPolicy != null) {
      b.setKind(batchPolicy);
    }
    if (batchSize != null) {
      b.setSize(batchSize);
    }
    if (maxLatencyMs != null) {
      b.setMaxLatencyMs(maxLatencyMs);
    }
    if (publishEvery != null) {
      spec.getPublication().setEveryUpdates(publishEvery);
    } else if (specFile == null) {
      // About every PUBLISH_SAMPLES samples: small batches learn per sample without publishing
      // the whole model as often; the last version is published at the end of the input anyway.
      spec.getPublication().setEveryUpdates(Math.max(1, PUBLISH_SAMPLES / b.getSize()));
    }
    if (publishEveryMs != null) {
      spec.getPublication().setEveryMs(publishEveryMs);
    }
    SpecValidator.requireValid(spec);
    int limit = JobOptions.SINK_MAX_RECORD_BYTES.defaultValue();
    UpdateSize.problem(spec, limit, JobOptions.SINK_MAX_RECORD_BYTES.key())
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(
                  "invalid spec for model '" + spec.getModelId() + "': " + p);
            });
    return spec;
  }

  private static Loss defaultLoss(Task task) {
    switch (task) {
      case BINARY:
        return Loss.LOGISTIC;
      case MULTICLASS:
        return Loss.SOFTMAX;
      default:
        return Loss.SQUARED;
    }
  }
}
