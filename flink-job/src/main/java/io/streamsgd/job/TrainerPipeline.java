package io.streamsgd.job;

import io.streamsgd.core.train.Sample;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.RecordKey;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.job.source.SampleFormat;
import io.streamsgd.job.source.SampleRouter;
import io.streamsgd.job.source.TrainerInput;
import io.streamsgd.job.spec.SpecDecoder;
import io.streamsgd.job.state.PublishedRecordSerializer;
import io.streamsgd.job.state.SampleSerializer;
import io.streamsgd.job.state.SerializerTypeInfo;
import io.streamsgd.job.state.TrainerInputSerializer;
import io.streamsgd.job.train.MinibatchTrainer;
import io.streamsgd.job.train.TrainerOperator;
import io.streamsgd.job.train.TrainerOptions;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DriftEvent;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.ModelUpdate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The trainer's dataflow between its inputs and outputs, independent of where they come from: the
 * job wires Kafka to it, tests may wire anything.
 *
 * <pre>
 * samples ─▶ route ───────────▶ keyBy(modelId) ─▶ trainer (decodes) ─▶ updates
 * specs   ─▶ decode ─▶ keyBy(modelId) ──────────────┘   │
 *              └──────────┴── dead letters ◀─────────────┘
 * </pre>
 *
 * <p>Records keyed by their model id cross the keyBy as their bytes and are decoded once, in the
 * trainer; the others are decoded by the router ({@link SampleRouter}).
 */
public final class TrainerPipeline {
  public static final TypeInformation<Sample> SAMPLE_TYPE =
      new SerializerTypeInfo<>(Sample.class, SampleSerializer::new);

  static final TypeInformation<TrainerInput> TRAINER_INPUT_TYPE =
      new SerializerTypeInfo<>(TrainerInput.class, TrainerInputSerializer::new);

  /**
   * Operator id of the trainer: its keyed state lives under this id in checkpoints and savepoints.
   */
  public static final String TRAINER_UID = "trainer";

  /** The streams the pipeline produces. */
  public record Outputs(
      DataStream<ModelUpdate> updates,
      DataStream<DeadLetter> deadLetters,
      DataStream<DriftEvent> driftEvents) {}

  private TrainerPipeline() {}

  public static Outputs attach(
      DataStream<RawRecord> rawSamples, DataStream<RawRecord> rawSpecs, JobSettings s) {
    SingleOutputStreamOperator<TrainerInput> samples =
        rawSamples
            .process(
                new SampleRouter(
                    new SampleFormat(s.maxRecordBytes, s.maxFeatures, s.registry),
                    s.recordKey == RecordKey.MODEL_ID),
                TRAINER_INPUT_TYPE)
            .name("route samples")
            // The decoder's id: the operator has no state, and savepoints taken before it routed
            // restore unchanged.
            .uid("decode-samples");
    SingleOutputStreamOperator<ModelSpec> specs =
        rawSpecs
            .process(
                new SpecDecoder(s.sinkMaxRecordBytes, s.registry),
                new AvroTypeInfo<>(ModelSpec.class))
            .name("decode specs")
            .uid("decode-specs")
            .setParallelism(rawSpecs.getParallelism());

    MinibatchTrainer trainer = new MinibatchTrainer(TrainerOptions.from(s));
    SingleOutputStreamOperator<ModelUpdate> updates =
        samples
            .keyBy(TrainerInput::key, Types.STRING)
            // Keyed, not broadcast: Flink takes no unaligned checkpoint across a broadcast edge.
            .connect(specs.keyBy(ModelSpec::getModelId, Types.STRING))
            .transform(
                "minibatch trainer",
                PublishedRecordSerializer.typeInfo(ModelUpdate.class),
                new TrainerOperator(trainer))
            .name("minibatch trainer")
            .uid(TRAINER_UID)
            .setMaxParallelism(s.maxParallelism);

    DataStream<DeadLetter> deadLetters =
        samples
            .getSideOutput(DeadLetters.TAG)
            .union(specs.getSideOutput(DeadLetters.TAG), updates.getSideOutput(DeadLetters.TAG));
    return new Outputs(updates, deadLetters, updates.getSideOutput(MinibatchTrainer.DRIFT_EVENTS));
  }
}
