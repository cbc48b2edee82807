package io.streamsgd.job.spec;

import io.streamsgd.schema.ModelSpec;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The broadcast state in which earlier versions of the trainer kept the latest valid spec per model
 * id, on every subtask. Specs now reach the trainer keyed by model id and live in keyed state; a
 * savepoint that still holds this state is migrated when it is restored (see {@code
 * MinibatchTrainer}).
 */
public final class SpecBroadcast {
  public static final MapStateDescriptor<String, ModelSpec> DESCRIPTOR =
      new MapStateDescriptor<>("model-specs", Types.STRING, new AvroTypeInfo<>(ModelSpec.class));

  private SpecBroadcast() {}
}
