package io.streamsgd.serving;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.schema.ModelUpdate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each model's latest complete version in the model store ({@link StreamsChunkStore}): a
 * whole record when it is newer, a chunked version once its last chunk arrives (its chunks wait in
 * the store until then). Stale and duplicate versions, tombstones and chunks that belong to no
 * version change nothing.
 */
final class VersionAssemblyProcessor implements Processor<String, ModelUpdate, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(VersionAssemblyProcessor.class);

  private VersionAssembler assembler;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.assembler = assembler(context);
  }

  /** The assembler over the task's model store: versions and published specs share it. */
  static VersionAssembler assembler(ProcessorContext<Void, Void> context) {
    return new VersionAssembler(
        new StreamsChunkStore(context.getStateStore(LatestModelTopology.STORE)));
  }

  @Override
  public void process(Record<String, ModelUpdate> record) {
    if (record.value() == null) {
      return; // a tombstone: a chunk key a newer version no longer uses
    }
    try {
      assembler.offer(record.value());
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipped a chunk that belongs to no version: {}", e.getMessage());
    }
  }
}
