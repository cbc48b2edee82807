package io.streamsgd.cluster;

/** Stands in for a TaskManager process: a JVM that runs until it is stopped. */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}
