package io.streamsgd.serving;

import io.streamsgd.core.publish.VersionAssembler;
import io.streamsgd.schema.PublishedSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the published specs that versions name by fingerprint in the model store, beside the
 * versions ({@link VersionAssemblyProcessor}); a version whose records all arrived before its spec
 * becomes current when the spec arrives.
 */
final class PublishedSpecProcessor implements Processor<String, PublishedSpec, Void, Void> {
  private VersionAssembler assembler;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.assembler = VersionAssemblyProcessor.assembler(context);
  }

  @Override
  public void process(Record<String, PublishedSpec> record) {
    if (record.value() != null) {
      assembler.offerSpec(record.value());
    }
  }
}
