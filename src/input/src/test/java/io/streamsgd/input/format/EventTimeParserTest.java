package io.streamsgd.input.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTimeParserTest {
  /** 2001-01-01T00:01:00Z. */
  static final long MINUTE_PAST_2001 = 978_307_260_000L;

  @Test
  void isoDateTimesWithoutAnOffsetAreUtc() {
    assertThat(EventTimeParser.parseMillis("2001-01-01 00:01:00")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("2001-01-01T00:01:00")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("2001-01-01T00:01")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis(" 2001-01-01T00:01:00.250 "))
        .isEqualTo(MINUTE_PAST_2001 + 250);
  }

  @Test
  void anOffsetOrZIsHonoured() {
    assertThat(EventTimeParser.parseMillis("2001-01-01T00:01:00Z")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("2001-01-01 02:01:00+02:00"))
        .isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("2000-12-31T19:01:00-05:00"))
        .isEqualTo(MINUTE_PAST_2001);
  }

  @Test
  void aDateIsItsMidnightUtc() {
    assertThat(EventTimeParser.parseMillis("2001-01-01")).isEqualTo(MINUTE_PAST_2001 - 60_000);
  }

  @Test
  void numbersAreEpochSecondsBelowTenToTheElevenAndMillisecondsFromThere() {
    assertThat(EventTimeParser.parseMillis("978307260")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("978307260.5")).isEqualTo(MINUTE_PAST_2001 + 500);
    assertThat(EventTimeParser.parseMillis("978307260000")).isEqualTo(MINUTE_PAST_2001);
    assertThat(EventTimeParser.parseMillis("99999999999")).isEqualTo(99_999_999_999_000L);
    assertThat(EventTimeParser.parseMillis("100000000000")).isEqualTo(100_000_000_000L);
  }

  @Test
  void anythingElseIsRefusedNamingTheFormsAccepted() {
    for (String text : new String[] {"", "yesterday", "01/01/2001", "2001-13-01", "NaN"}) {
      assertThatThrownBy(() -> EventTimeParser.parseMillis(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "'"
                  + text
                  + "' is not an ISO-8601 date or date-time, nor epoch seconds or milliseconds");
    }
  }
}
