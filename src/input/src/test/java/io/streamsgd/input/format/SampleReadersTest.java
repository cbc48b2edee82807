package io.streamsgd.input.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleReadersTest {

  @Test
  void csvWithLabelAndModelIdColumns(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, "x1,model,label,x2\n1.5,a,3,-2\noops,b,1,2\n0,b,1,4\n");
    try (CsvReader r = new CsvReader(f, CsvReaderTest.columns("label", "model", null, "", ""))) {
      assertThat(r.featureNames()).containsExactly("x1", "x2");
      ParsedSample s = r.next();
      assertThat(s.modelId()).isEqualTo("a");
      assertThat(((DenseFeatures) s.features()).getValues()).containsExactly(1.5, -2.0);
      assertThat(s.label()).isEqualTo(3.0);
      // x1 is mostly numbers, so numeric: its stray "oops" is a bad line, not a category
      assertThatThrownBy(r::next)
          .isInstanceOf(SampleFileReader.BadLineException.class)
          .hasMessageContaining("line 3");
      assertThat(r.next().modelId()).isEqualTo("b");
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void libsvmIsOneBasedByDefault(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.libsvm");
    Files.writeString(f, "+1 1:0.5 3:2 # comment\n\n-1 qid:3 2:1\nbad 1:x\n");
    try (LibsvmReader r = new LibsvmReader(f, false, null, null)) {
      ParsedSample s = r.next();
      assertThat(s.label()).isEqualTo(1.0);
      assertThat(((SparseFeatures) s.features()).getIndices()).containsExactly(0, 2);
      assertThat(s.dimensionNeeded()).isEqualTo(3);
      ParsedSample t = r.next();
      assertThat(((SparseFeatures) t.features()).getIndices()).containsExactly(1);
      assertThatThrownBy(r::next).isInstanceOf(SampleFileReader.BadLineException.class);
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void libsvmCommentsCarryTheModelIdAndEventTimeWhenTheirKeysAreGiven(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("d.libsvm");
    Files.writeString(
        f,
        "1 1:0.5 # model=LAS time=2001-01-01T06:00:00Z seen twice\n"
            + "0 2:1 #time=978307200 model=SFO\n"
            + "1 1:1 # model=LAS\n"
            + "0 1:1 # model=LAS time=yesterday\n");
    try (LibsvmReader r = new LibsvmReader(f, false, "model", "time")) {
      ParsedSample a = r.next();
      assertThat(a.modelId()).isEqualTo("LAS");
      assertThat(a.eventTime()).isEqualTo(978328800000L);
      ParsedSample b = r.next();
      assertThat(b.modelId()).isEqualTo("SFO");
      assertThat(b.eventTime()).isEqualTo(978307200000L); // epoch seconds
      assertThatThrownBy(r::next).hasMessage("line 3: no time=... in the comment");
      assertThatThrownBy(r::next)
          .hasMessageStartingWith("line 4: time=: 'yesterday' is not an ISO-8601 date");
      assertThat(r.next()).isNull();
      assertThat(r.bytesRead()).isEqualTo(Files.size(f));
      assertThat(r.bytesTotal()).isEqualTo(Files.size(f));
    }
    try (LibsvmReader r = new LibsvmReader(f, false, null, null)) {
      ParsedSample a = r.next();
      assertThat(a.modelId()).isNull(); // the comment is read only when asked to
      assertThat(a.eventTime()).isNull();
    }
  }

  @Test
  void vwNamespacesValuesImportanceAndTag(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.vw");
    Files.writeString(f, "1 2.0 'm7 |user age:31 premium |ad id_9\n-1 | plain\nno features\n");
    try (VwReader r = new VwReader(f, true)) {
      ParsedSample s = r.next();
      assertThat(s.modelId()).isEqualTo("m7");
      assertThat(s.weight()).isEqualTo(2.0);
      NamedFeatures n = (NamedFeatures) s.features();
      assertThat(n.getNames()).containsExactly("user^age", "user^premium", "ad^id_9");
      assertThat(n.getValues()).containsExactly(31.0, 1.0, 1.0);
      ParsedSample t = r.next();
      assertThat(((NamedFeatures) t.features()).getNames()).containsExactly("plain");
      assertThat(t.label()).isEqualTo(-1.0);
      assertThatThrownBy(r::next).isInstanceOf(SampleFileReader.BadLineException.class);
    }
  }

  @Test
  void idxImagesAndLabels(@TempDir Path dir) throws Exception {
    Path images = dir.resolve("t-images-idx3-ubyte.gz");
    Path labels = dir.resolve("t-labels-idx1-ubyte");
    try (DataOutputStream out =
        new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(0x803);
      out.writeInt(2);
      out.writeInt(1);
      out.writeInt(2);
      out.write(new byte[] {0, (byte) 255, (byte) 51, 0});
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
      out.writeInt(0x801);
      out.writeInt(2);
      out.write(new byte[] {7, 3});
    }
    try (IdxReader r = new IdxReader(images, labels)) {
      ParsedSample a = r.next();
      assertThat(((DenseFeatures) a.features()).getValues()).containsExactly(0.0, 1.0);
      assertThat(a.label()).isEqualTo(7.0);
      assertThat(((DenseFeatures) r.next().features()).getValues()).containsExactly(0.2, 0.0);
      assertThat(r.next()).isNull();
    }
    assertThat(List.of(images, labels)).allSatisfy(p -> assertThat(p).exists());
  }
}
