package io.streamsgd.job.sink;

import io.streamsgd.core.publish.ChunkKeys;
import io.streamsgd.core.publish.ModelChunks;
import io.streamsgd.core.publish.ModelRecord;
import io.streamsgd.job.config.JobSettings;
import io.streamsgd.job.config.SinkGuarantee;
import io.streamsgd.job.config.SpecPublication;
import io.streamsgd.job.state.ModelRecordTypeSerializer;
import io.streamsgd.job.state.PublishedLayoutSerializer;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PublishedSpec;
import io.streamsgd.schema.codec.Codecs;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * leaves no stale chunk behind. Under {@link SpecPublication#ON_CHANGE} the version's spec is left
 * out of its records (they keep its fingerprint), and written once to the published-specs topic,
 * before the first version that names it.
 *
 * <p>What the topics hold of each model ({@link PublishedLayout}: chunk count, published spec) is
 * keyed state, read once per version and written when it changes, checkpointed with the trainer's:
 * a replay from a checkpoint writes the same records. Runs chained to the trainer on the same key
 * groups (no shuffle), so a version's records all reach one sink writer, in one transaction.
 */
public final class ModelChunker extends KeyedProcessFunction<String, ModelUpdate, ModelRecord> {
  private static final long serialVersionUID = 1L;

  /** Operator id: its state (chunk counts) lives under this id in checkpoints and savepoints. */
  public static final String UID = "models-chunker";

  private final int maxRecordBytes;
  private final SpecPublication specPublication;
  private final boolean republishAfterRestart;
  private transient ValueState<PublishedLayout> published;

  /**
   * Models whose spec this run of the operator has written (only when {@link
   * #republishAfterRestart}): not checkpointed on purpose, see {@link #processElement}.
   */
  private transient Set<String> specWrittenThisRun;

  /** The chunk count alone, as releases before published specs kept it: read once, then moved. */
  private transient ValueState<Integer> publishedChunks;

  /**
   * @param republishAfterRestart write each model's spec again with its first version after every
   *     (re)start: for at-least-once sinks, whose records from before a failure stay
   */
  public ModelChunker(
      int maxRecordBytes, SpecPublication specPublication, boolean republishAfterRestart) {
    this.maxRecordBytes = maxRecordBytes;
    this.specPublication = specPublication;
    this.republishAfterRestart = republishAfterRestart;
  }

  /** {@code updates} (the trainer's output, partitioned by model id) as models-topic records. */
  public static SingleOutputStreamOperator<ModelRecord> chunk(
      DataStream<ModelUpdate> updates, JobSettings s) {
    // The trainer emits each update on the subtask that owns its model's key group, which is what
    // keyBy would do: reinterpreting saves shipping whole models over the network once more.
    return DataStreamUtils.reinterpretAsKeyedStream(updates, ModelUpdate::getModelId, Types.STRING)
        .process(
            new ModelChunker(
                s.sinkMaxRecordBytes,
                s.sinkSpecPublication,
                s.deliveryGuarantee == SinkGuarantee.AT_LEAST_ONCE),
            ModelRecordTypeSerializer.typeInfo())
        .name("model chunks")
        .uid(UID)
        .setParallelism(updates.getParallelism())
        .setMaxParallelism(s.maxParallelism);
  }

  @Override
  public void open(OpenContext openContext) {
    published =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("published-layout", new PublishedLayoutSerializer()));
    publishedChunks =
        getRuntimeContext().getState(new ValueStateDescriptor<>("published-chunks", Types.INT));
    specWrittenThisRun = republishAfterRestart ? new HashSet<>() : null;
  }

  @Override
  public void processElement(ModelUpdate update, Context ctx, Collector<ModelRecord> out)
      throws Exception {
    String modelId = update.getModelId();
    long timestamp = update.getPublishedAt().toEpochMilli();
    PublishedLayout layout = published.value();
    boolean changed = false;
    if (layout == null) {
      Integer chunks = publishedChunks.value();
      layout = new PublishedLayout(chunks == null ? 0 : chunks, false, 0);
      if (chunks != null) {
        publishedChunks.clear();
        changed = true;
      }
    }
    ModelUpdate version = update;
    if (specPublication == SpecPublication.ON_CHANGE) {
      long fingerprint = update.getSpecFingerprint();
      // At least once, a failed run's records stay while its state rolls back: it may have written
      // a spec the replay does not adopt (specs and samples interleave anew), leaving that spec the
      // topic's latest for the model while its versions name another. Writing the spec again with
      // each model's first version after a restart makes the latest one right again.
      boolean firstThisRun = republishAfterRestart && specWrittenThisRun.add(modelId);
      if (firstThisRun || !layout.published(fingerprint)) {
        PublishedSpec spec =
            new PublishedSpec(
                modelId,
                fingerprint,
                update.getVersion(),
                update.getSpec(),
                update.getPublishedAt());
        out.collect(
            ModelRecord.publishedSpec(modelId, Codecs.PUBLISHED_SPEC.encode(spec), timestamp));
        layout.specPublished = true;
        layout.specFingerprint = fingerprint;
        changed = true;
      }
      version = withoutSpec(update);
    }
    List<ModelRecord> records = ModelChunks.split(version, maxRecordBytes);
    records.forEach(out::collect);
    for (int i = records.size(); i < layout.chunks; i++) {
      out.collect(new ModelRecord(modelId, ChunkKeys.key(modelId, i), null, timestamp));
    }
    int chunks = records.size() > 1 ? records.size() : 0;
    if (chunks != layout.chunks) {
      layout.chunks = chunks;
      changed = true;
    }
    if (!changed) {
      return;
    }
    if (layout.chunks == 0 && !layout.specPublished) {
      published.clear(); // a model in one record whose versions carry their spec: nothing to keep
    } else {
      published.update(layout);
    }
  }

  /**
   * A shallow copy of {@code update} without its spec: the trainer's record is left as it was, and
   * the parameter arrays are shared, not copied.
   */
  static ModelUpdate withoutSpec(ModelUpdate update) {
    ModelUpdate copy = new ModelUpdate();
    for (int i = 0; i < update.getSchema().getFields().size(); i++) {
      copy.put(i, update.get(i));
    }
    copy.setSpec(null);
    return copy;
  }
}
