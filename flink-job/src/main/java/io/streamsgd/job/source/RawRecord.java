package io.streamsgd.job.source;

/**
 * A Kafka record as it arrived, before any decoding: the source never interprets bytes, so it can
 * never fail on them. A Flink POJO (public fields, no-arg constructor).
 */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;

  public RawRecord() {}

  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
