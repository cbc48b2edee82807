package io.streamsgd.job.source;

import io.streamsgd.job.state.RawRecordSerializer;
import io.streamsgd.job.state.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Wraps each Kafka record into a {@link RawRecord}; never throws, whatever the bytes are. */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  private static final long serialVersionUID = 1L;

  /**
   * Raw records pass from the source to the decoders without a copy (see {@link
   * RawRecordSerializer}).
   */
  public static final TypeInformation<RawRecord> TYPE =
      new SerializerTypeInfo<>(RawRecord.class, RawRecordSerializer::new);

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    out.collect(
        new RawRecord(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value()));
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TYPE;
  }
}
