package io.streamsgd.job.train;

import io.streamsgd.core.train.LearnerState;
import io.streamsgd.core.train.Sample;
import io.streamsgd.job.state.LearnerStateSerializer;
import io.streamsgd.job.state.OpenBatchSerializer;
import io.streamsgd.job.state.ParameterBlockSerializer;
import io.streamsgd.job.state.SampleSerializer;
import io.streamsgd.schema.ModelSpec;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The trainer's keyed state, per model id: the model ({@link LearnerState}: spec, parameters,
 * optimizer slots, version, metric sums), the open batch's samples and bookkeeping ({@link
 * OpenBatch}, both through the heap cache {@link OpenBatches}) and, under a publication schedule,
 * the publication's ({@link PublicationMark}), and the model's spec when it has one of its own. The
 * descriptors are shared with tools that read or bootstrap the trainer's state (warm start, state
 * tests).
 */
final class TrainerState {
  final ValueState<LearnerState> model;
  final MapState<Integer, ParameterBlock> blocks;
  final ModelStore store;
  final OpenBatches batches;
  final ValueState<PublicationMark> publication;
  final ValueState<ModelSpec> spec;

  TrainerState(RuntimeContext context, TrainerOptions options, KeyContext keys) {
    model = context.getState(modelDescriptor());
    blocks = context.getMapState(blocksDescriptor());
    store = new ModelStore(model, blocks, options.parameterBlocks());
    batches =
        new OpenBatches(
            context.getState(openBatchMetaDescriptor()),
            context.getListState(openBatchDescriptor()),
            keys,
            // The RocksDB layout copies on every access: its cache may outlive a write-back.
            options.parameterBlocks(),
            options.writeBack());
    publication = context.getState(publicationDescriptor());
    spec = context.getState(specDescriptor());
  }

  /** The model's latest valid spec from the specs topic (none under the job's default spec). */
  static ValueStateDescriptor<ModelSpec> specDescriptor() {
    return new ValueStateDescriptor<>("model-spec", new AvroTypeInfo<>(ModelSpec.class));
  }

  static ValueStateDescriptor<LearnerState> modelDescriptor() {
    return new ValueStateDescriptor<>("model", new LearnerStateSerializer());
  }

  /** A large model's columns in blocks, under the RocksDB layout (see {@link ModelStore}). */
  static MapStateDescriptor<Integer, ParameterBlock> blocksDescriptor() {
    return new MapStateDescriptor<>(
        "parameter-blocks", IntSerializer.INSTANCE, new ParameterBlockSerializer());
  }

  static ListStateDescriptor<Sample> openBatchDescriptor() {
    return new ListStateDescriptor<>("open-batch", new SampleSerializer());
  }

  static ValueStateDescriptor<OpenBatch> openBatchMetaDescriptor() {
    return new ValueStateDescriptor<>("open-batch-meta", new OpenBatchSerializer());
  }

  /** Only models with a publication schedule have one (see {@link Publication}). */
  static ValueStateDescriptor<PublicationMark> publicationDescriptor() {
    return new ValueStateDescriptor<>("publication", PublicationMark.class);
  }

  /** The open batch's samples, in arrival order. */
  List<Sample> openSamples() throws Exception {
    return batches.samples();
  }
}
