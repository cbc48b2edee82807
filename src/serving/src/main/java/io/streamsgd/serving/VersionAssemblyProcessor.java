package io.streamsgd.serving;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.schema.ModelUpdate;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each version of a model once it is complete and newer than the last one forwarded: whole
 * records as they come, chunked versions when their last chunk arrives (held in the {@link #STORE}
 * store until then). Tombstones and chunks that belong to no version go no further.
 */
final class VersionAssemblyProcessor
    implements FixedKeyProcessor<String, ModelUpdate, ModelUpdate> {
  private static final Logger LOG = LoggerFactory.getLogger(VersionAssemblyProcessor.class);

  /** Name of the store that holds chunks of versions still arriving. */
  static final String STORE = "model-chunks";

  private FixedKeyProcessorContext<String, ModelUpdate> context;
  private VersionAssembler assembler;

  @Override
  public void init(FixedKeyProcessorContext<String, ModelUpdate> context) {
    this.context = context;
    this.assembler = new VersionAssembler(new StreamsChunkStore(context.getStateStore(STORE)));
  }

  @Override
  public void process(FixedKeyRecord<String, ModelUpdate> record) {
    if (record.value() == null) {
      return; // a tombstone: a chunk key a newer version no longer uses
    }
    try {
      assembler.offer(record.value()).ifPresent(whole -> context.forward(record.withValue(whole)));
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipped a chunk that belongs to no version: {}", e.getMessage());
    }
  }
}
