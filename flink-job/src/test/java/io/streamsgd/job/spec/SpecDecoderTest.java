package io.streamsgd.job.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.core.spec.ModelSpecs;
import io.streamsgd.job.source.DeadLetters;
import io.streamsgd.job.source.RawRecord;
import io.streamsgd.schema.DeadLetter;
import io.streamsgd.schema.DeadLetterReason;
import io.streamsgd.schema.ModelSpec;
import io.streamsgd.schema.codec.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SpecDecoderTest {

  private static RawRecord record(long offset, ModelSpec spec) {
    return new RawRecord(
        "model-specs",
        0,
        offset,
        0L,
        spec.getModelId().getBytes(StandardCharsets.UTF_8),
        Codecs.MODEL_SPEC.encode(spec));
  }

  @Test
  void aSpecWhoseVersionsChunkingCannotPublishIsRefusedNamingTheFixAndTheOthersPass()
      throws Exception {
    ModelSpec huge = ModelSpecs.logisticRegression("huge", 1 << 26, 0.1, 1);
    huge.setHashBits(26);
    ModelSpec chunked = ModelSpecs.logisticRegression("chunked", 1 << 18, 0.1, 1);
    chunked.setHashBits(18); // 2 MB dense: published in chunks
    try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new SpecDecoder(65_536, null))) {
      h.processElement(record(0, huge), 0);
      h.processElement(record(1, chunked), 0);

      assertThat(h.extractOutputValues())
          .extracting(ModelSpec::getModelId)
          .containsExactly("chunked");
      List<DeadLetter> refused =
          h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
      assertThat(refused).hasSize(1);
      assertThat(refused.get(0).getReason()).isEqualTo(DeadLetterReason.INVALID_SPEC);
      assertThat(refused.get(0).getModelId()).isEqualTo("huge");
      assertThat(refused.get(0).getDetail())
          .startsWith("a version of its 67,108,865 parameters takes up to 13,")
          .contains("under the 65,536-byte record limit (streamsgd.sink.max-record-bytes)")
          .contains("use at most 24 hash bits");
    }
  }
}
