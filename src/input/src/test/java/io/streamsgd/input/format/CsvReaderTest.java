package io.streamsgd.input.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  /** CSV options; {@code ignore} and {@code categorical} comma-separated, "" for none. */
  static InputFormat.Options columns(
      String label, String modelId, String time, String ignore, String categorical) {
    return new InputFormat.Options(
        label, modelId, time, split(ignore), split(categorical), false, false, null);
  }

  private static List<String> split(String names) {
    return names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
  }

  @Test
  void stringColumnsAreCategoriesAndNumbersNamedFeaturesForTheTrainerToHash(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("flights.csv");
    Files.writeString(
        f,
        "date,origin,destination,distance,delay,late,note\n"
            + "2001-01-01 00:01:00,LAS,SFO,414,-3,0,ok\n"
            + "2001-01-01 00:00:30,SFO,LAS,0,25,1,\n");
    try (CsvReader r = new CsvReader(f, columns("late", null, "date", "note", ""))) {
      assertThat(r.columns())
          .isEqualTo(
              "label [late]; time [date]; ignored [note]; numeric [distance, delay];"
                  + " categorical [origin, destination]");
      assertThat(r.featureNames()).containsExactly("origin", "destination", "distance", "delay");
      // distance (miles) and delay (minutes) are far from unit scale: the user hears of it
      assertThat(r.advice())
          .containsExactly(
              "numeric column 'distance' reaches 414 in its first rows: SGD at a rate for"
                  + " values near 1 will overshoot on it; scale it to about [-1, 1] in the file,"
                  + " make it categorical (--categorical-columns distance) or lower --lr",
              "numeric column 'delay' reaches 25 in its first rows: SGD at a rate for"
                  + " values near 1 will overshoot on it; scale it to about [-1, 1] in the file,"
                  + " make it categorical (--categorical-columns delay) or lower --lr");
      ParsedSample a = r.next();
      NamedFeatures x = (NamedFeatures) a.features();
      assertThat(x.getNames())
          .containsExactly("origin=LAS", "destination=SFO", "distance", "delay");
      assertThat(x.getValues()).containsExactly(1.0, 1.0, 414.0, -3.0);
      assertThat(a.label()).isEqualTo(0.0);
      assertThat(a.eventTime()).isEqualTo(EventTimeParserTest.MINUTE_PAST_2001);
      assertThat(a.modelId()).isNull();
      ParsedSample b = r.next();
      // a zero moves no weight and is left out; an earlier time than the row before is kept
      assertThat(((NamedFeatures) b.features()).getNames())
          .containsExactly("origin=SFO", "destination=LAS", "delay");
      assertThat(b.eventTime()).isEqualTo(EventTimeParserTest.MINUTE_PAST_2001 - 30_000);
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void categoricalColumnsCanBeNamedWhereTheirValuesAreNumbers(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, "hour,origin,y\n6,LAS,1\n7,SFO,0\n");
    try (CsvReader r =
        new CsvReader(f, columns("y", "origin", null, "", "hour"))) { // model per origin
      ParsedSample a = r.next();
      assertThat(a.modelId()).isEqualTo("LAS");
      assertThat(((NamedFeatures) a.features()).getNames()).containsExactly("hour=6");
      assertThat(a.eventTime()).isNull();
    }
  }

  @Test
  void allNumericFeaturesStayADenseVectorWithoutTheTimeAndIgnoredColumns(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, "t,x1,id,label,x2\n978307260,1.5,abc,3,0\n");
    try (CsvReader r = new CsvReader(f, columns("label", null, "t", "id", ""))) {
      assertThat(r.advice()).as("features near unit scale").isEmpty();
      ParsedSample s = r.next();
      assertThat(((DenseFeatures) s.features()).getValues()).containsExactly(1.5, 0.0);
      assertThat(s.eventTime()).isEqualTo(EventTimeParserTest.MINUTE_PAST_2001);
    }
  }

  @Test
  void aValueThatIsNoNumberInANumericColumnIsABadLineNamingColumnAndValue(@TempDir Path dir)
      throws Exception {
    StringBuilder csv = new StringBuilder("when,x,city,y\n");
    for (int i = 0; i < CsvColumns.ROWS_INSPECTED; i++) {
      csv.append("2001-01-01,").append(i).append(",Oslo,1\n");
    }
    csv.append("2001-01-01,n/a,Oslo,1\n"); // after the rows that decided x is numeric
    csv.append("2001-01-01,2,Oslo,yes\n");
    csv.append("01/01/2001,2,Oslo,1\n");
    csv.append("2001-01-01,2,Oslo\n");
    csv.append("2001-01-02,3,Bergen,0\n");
    Path f = Files.writeString(dir.resolve("d.csv"), csv);
    try (CsvReader r = new CsvReader(f, columns("y", null, "when", "", ""))) {
      for (int i = 0; i < CsvColumns.ROWS_INSPECTED; i++) {
        assertThat(r.next().features()).isInstanceOf(NamedFeatures.class);
      }
      assertThatThrownBy(r::next)
          .isInstanceOf(SampleFileReader.BadLineException.class)
          .hasMessage(
              "line 1002: column 'x': 'n/a' is not a number (a categorical column?"
                  + " --categorical-columns)");
      assertThatThrownBy(r::next).hasMessage("line 1003: column 'y': 'yes' is not a number");
      assertThatThrownBy(r::next)
          .hasMessage(
              "line 1004: column 'when': '01/01/2001' is not an ISO-8601 date or date-time,"
                  + " nor epoch seconds or milliseconds");
      assertThatThrownBy(r::next).hasMessage("line 1005: 3 columns, header has 4");
      ParsedSample last = r.next();
      assertThat(((NamedFeatures) last.features()).getNames()).containsExactly("x", "city=Bergen");
      assertThat(last.eventTime()).isEqualTo(978_393_600_000L);
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void optionsNamingColumnsTheHeaderLacksAreRefusedAllAtOnce(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("d.csv"), "a,b,y\n1,2,3\n");
    assertThatThrownBy(() -> new CsvReader(f, columns("y", "model", "when", "b,c", "b")))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "no model-id column 'model'; no time column 'when'; no ignored column 'c';"
                + " column 'b' is both ignored and categorical (header: [a, b, y])");
  }

  @Test
  void progressCountsTheBytesOfTheCompressedFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
    }
    try (CsvReader r = new CsvReader(f, columns("y", null, null, "", ""))) {
      assertThat(r.bytesTotal()).isEqualTo(Files.size(f));
      while (r.next() != null) {
        assertThat(r.bytesRead()).isBetween(1L, r.bytesTotal());
      }
      assertThat(r.bytesRead()).isEqualTo(Files.size(f));
    }
  }
}
