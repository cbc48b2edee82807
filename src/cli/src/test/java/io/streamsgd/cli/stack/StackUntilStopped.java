package io.streamsgd.cli.stack;

import io.streamsgd.embedded.topics.TopicLayout;
import io.streamsgd.stack.EmbeddedStack;
import java.nio.file.Path;

/** A child JVM's main: the embedded stack with its trainer running, until the JVM is stopped. */
public final class StackUntilStopped {
  private StackUntilStopped() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStack stack = EmbeddedStack.start(Path.of(args[0]), 1, TopicLayout.defaults(1));
    stack.startTrainer(stack.jobOptions());
    System.out.println("READY");
    Thread.sleep(Long.MAX_VALUE);
  }
}
