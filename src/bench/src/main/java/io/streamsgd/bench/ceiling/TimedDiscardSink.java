package io.streamsgd.bench.ceiling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Drops every record, noting when each subtask saw its first and its last one and how many: written
 * at the end to {@code dir/marks-<subtask>} as "first last count" (epoch millis), for a benchmark
 * on the same machine to read. Start-up before the first record does not count.
 */
public final class TimedDiscardSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  private final String dir;

  public TimedDiscardSink(String dir) {
    this.dir = dir;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    return new SinkWriter<>() {
      long first = -1;
      long last;
      long count;

      @Override
      public void write(T element, Context c) {
        long now = System.currentTimeMillis();
        if (first < 0) {
          first = now;
        }
        last = now;
        count++;
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() throws IOException {
        Files.writeString(
            Path.of(dir, "marks-" + subtask),
            first + " " + last + " " + count + "\n",
            StandardCharsets.UTF_8);
      }
    };
  }
}
