package io.streamsgd.job.spec;

import io.streamsgd.schema.ModelSpec;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** The broadcast state that holds the latest valid spec per model id on every trainer subtask. */
public final class SpecBroadcast {
  public static final MapStateDescriptor<String, ModelSpec> DESCRIPTOR =
      new MapStateDescriptor<>("model-specs", Types.STRING, new AvroTypeInfo<>(ModelSpec.class));

  private SpecBroadcast() {}
}
