package io.streamsgd.cli.run;

/** What the trainer published to the models topic: committed records and their value bytes. */
final class PublishedBytes {
  private PublishedBytes() {}

  static RunReport.Publication read(String bootstrapServers, String topic, long updates) {
    long[] recordsBytesLargest = new long[3];
    TopicScan.each(
        bootstrapServers,
        topic,
        r -> {
          if (r.value() != null) { // tombstones of chunk keys are not publications
            recordsBytesLargest[0]++;
            recordsBytesLargest[1] += r.value().length;
            recordsBytesLargest[2] = Math.max(recordsBytesLargest[2], r.value().length);
          }
        });
    long bytes = recordsBytesLargest[1];
    return new RunReport.Publication(
        updates,
        recordsBytesLargest[0],
        bytes,
        recordsBytesLargest[2],
        updates == 0 ? 0 : (double) bytes / updates);
  }
}
