package io.streamsgd.cli.secure;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs at INFO and above, as text, while open: what a production log would
 * hold. The console keeps its usual level.
 */
final class LogCapture implements AutoCloseable {
  private final StringWriter text = new StringWriter();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final Level rootLevel;
  private final Appender appender;

  LogCapture() {
    Configuration config = context.getConfiguration();
    LoggerConfig root = config.getRootLogger();
    rootLevel = root.getLevel();
    appender =
        WriterAppender.newBuilder()
            .setName("capture")
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().withPattern("%c - %m%n%throwable").build())
            .build();
    appender.start();
    config.addAppender(appender);
    for (String name : root.getAppenders().keySet()) {
      Appender existing = root.getAppenders().get(name);
      root.removeAppender(name);
      root.addAppender(existing, rootLevel, null);
    }
    root.addAppender(appender, Level.INFO, null);
    root.setLevel(Level.INFO);
    context.updateLoggers();
  }

  String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    LoggerConfig root = context.getConfiguration().getRootLogger();
    root.removeAppender("capture");
    root.setLevel(rootLevel);
    context.updateLoggers();
    appender.stop();
  }
}
