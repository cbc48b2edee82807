package io.streamsgd.input.format;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * Event times as data holds them, to epoch milliseconds: an ISO-8601 date ({@code 2001-01-01},
 * midnight UTC) or date-time with a {@code T} or a space before the time ({@code 2001-01-01
 * 00:01:00}, {@code 2001-01-01T00:01:00.250+02:00}), UTC when it names no offset; or a number of
 * epoch seconds or milliseconds, told apart by size (see {@link #MILLIS_FROM}).
 */
public final class EventTimeParser {
  /**
   * Numbers from 10^11 on are milliseconds, smaller ones seconds: 10^11 seconds is the year 5138,
   * 10^11 milliseconds March 1973, so only millisecond times before March 1973 are misread.
   */
  public static final double MILLIS_FROM = 1e11;

  private static final DateTimeFormatter ISO =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart()
          .appendOffsetId()
          .toFormatter();

  private EventTimeParser() {}

  /**
   * @throws IllegalArgumentException when {@code text} is neither an ISO-8601 date or date-time nor
   *     a finite number
   */
  public static long parseMillis(String text) {
    String t = text.strip();
    try {
      double v = Double.parseDouble(t);
      if (Double.isFinite(v)) {
        return Math.abs(v) >= MILLIS_FROM ? Math.round(v) : Math.round(v * 1000);
      }
    } catch (NumberFormatException e) {
      // not a number: tried as a date below, whose message names both forms
    }
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    try {
      TemporalAccessor parsed = ISO.parse(t);
      LocalDate date = parsed.query(TemporalQueries.localDate());
      LocalTime time = parsed.query(TemporalQueries.localTime());
      ZoneOffset offset = parsed.query(TemporalQueries.offset());
      return date.atTime(time == null ? LocalTime.MIDNIGHT : time)
          .toInstant(offset == null ? ZoneOffset.UTC : offset)
          .toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 date or date-time, nor epoch seconds or milliseconds");
    }
  }
}
