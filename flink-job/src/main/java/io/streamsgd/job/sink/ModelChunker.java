package io.streamsgd.job.sink;

import io.streamsgd.core.publish.ChunkKeys;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.state.ModelRecordTypeSerializer;
import io.streamsgd.schema.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each published version into the records of the models topic: the version whole when it fits
 * {@code streamsgd.sink.max-record-bytes}, else its chunks ({@link ModelChunks}), then a tombstone
 * for every chunk key the model's previous version used and this one does not, so that compaction
 * leaves no stale chunk behind. The previous version's chunk count is keyed state, kept only while
 * a model is chunked, and checkpointed with the trainer's: a replay from a checkpoint writes the
 * same records. Runs chained to the trainer on the same key groups (no shuffle), so a version's
 * records all reach one sink writer, in one transaction.
 */
public final class ModelChunker extends KeyedProcessFunction<String, ModelUpdate, ModelRecord> {
  private static final long serialVersionUID = 1L;

  /** Operator id: its state (chunk counts) lives under this id in checkpoints and savepoints. */
  public static final String UID = "models-chunker";

  private final int maxRecordBytes;
  private transient ValueState<Integer> publishedChunks;

  public ModelChunker(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** {@code updates} (the trainer's output, partitioned by model id) as models-topic records. */
  public static SingleOutputStreamOperator<ModelRecord> chunk(
      DataStream<ModelUpdate> updates, JobSettings s) {
    // The trainer emits each update on the subtask that owns its model's key group, which is what
    // keyBy would do: reinterpreting saves shipping whole models over the network once more.
    return DataStreamUtils.reinterpretAsKeyedStream(updates, ModelUpdate::getModelId, Types.STRING)
        .process(new ModelChunker(s.sinkMaxRecordBytes), ModelRecordTypeSerializer.typeInfo())
        .name("model chunks")
        .uid(UID)
        .setParallelism(updates.getParallelism())
        .setMaxParallelism(s.maxParallelism);
  }

  @Override
  public void open(OpenContext openContext) {
    publishedChunks =
        getRuntimeContext().getState(new ValueStateDescriptor<>("published-chunks", Types.INT));
  }

  @Override
  public void processElement(ModelUpdate update, Context ctx, Collector<ModelRecord> out)
      throws Exception {
    List<ModelRecord> records = ModelChunks.split(update, maxRecordBytes);
    records.forEach(out::collect);
    Integer previous = publishedChunks.value();
    if (previous != null) {
      String modelId = update.getModelId();
      long timestamp = update.getPublishedAt().toEpochMilli();
      for (int i = records.size(); i < previous; i++) {
        out.collect(new ModelRecord(modelId, ChunkKeys.key(modelId, i), null, timestamp));
      }
    }
    if (records.size() > 1) {
      publishedChunks.update(records.size());
    } else if (previous != null) {
      publishedChunks.clear();
    }
  }
}
