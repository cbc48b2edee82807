package io.streamsgd.process;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Arrays;
import java.util.List;

/** The main class of the child JVMs the tests start; the first argument picks what it does. */
public final class ChildJvm {
  private ChildJvm() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "report" -> {
        System.out.println("args=" + rest);
        System.out.println(
            "jvm.options=" + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("class.path=" + System.getProperty("java.class.path"));
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("pid=" + ProcessHandle.current().pid());
      }
      case "streams" -> {
        System.out.println("stdout " + rest.get(0));
        System.err.println("stderr " + rest.get(0));
      }
      case "exit" -> System.exit(Integer.parseInt(rest.get(0)));
      case "wait" -> {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        waitForever();
      }
      case "ignore-sigterm" -> {
        // A shutdown hook that never ends keeps the JVM alive after SIGTERM.
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::sleepForever));
        waitForever();
      }
      case "open-java-lang" -> {
        try {
          String.class.getDeclaredField("value").setAccessible(true);
          System.out.println("java.lang is open");
        } catch (InaccessibleObjectException e) {
          System.out.println("java.lang is closed");
          System.exit(2);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void waitForever() {
    System.out.println("ready");
    sleepForever();
  }

  private static void sleepForever() {
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // keep sleeping: only a signal ends this JVM
      }
    }
  }
}
