package io.streamsgd.bench.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Where the machine's CPU goes while a rate is measured: the busy cores of the whole machine (from
 * {@code /proc/stat}) and of each process the bench started (from {@code /proc/<pid>/stat}),
 * sampled every 100 ms. Busy cores divided by a rate are CPU microseconds per record: when every
 * core is busy, that cost and the number of cores set the rate, whatever else is tuned. Linux only;
 * elsewhere (or when {@code /proc} cannot be read) every reading is empty.
 */
final class MachineCpu implements AutoCloseable {
  static final String MACHINE = "machine";
  private static final long PERIOD_MS = 100;

  private final Map<String, Long> pids;
  private final int cpus;
  private final List<Reading> readings = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;

  /** One sample: when, and the cumulative ticks: machine busy, machine total, then per process. */
  private record Reading(long nanos, long epochMillis, long busy, long total, long[] processes) {}

  private MachineCpu(Map<String, Long> pids, int cpus) {
    this.pids = new LinkedHashMap<>(pids);
    this.cpus = cpus;
    this.sampler = new Thread(this::sampleUntilClosed, "bench-cpu-sampler");
    sampler.setDaemon(true);
  }

  /** Starts sampling the machine and the named processes ({@code name -> pid}). */
  static MachineCpu start(Map<String, Long> pids) {
    MachineCpu cpu = new MachineCpu(pids, cpuCount());
    if (cpu.cpus > 0) {
      cpu.sampler.start();
    }
    return cpu;
  }

  /**
   * Busy cores between two {@link System#nanoTime} instants of this JVM: {@value #MACHINE}, then
   * each process, in the order given. Empty when the window holds fewer than two samples.
   */
  Map<String, Double> busyCores(long fromNanos, long toNanos) {
    return between(fromNanos, toNanos, Reading::nanos);
  }

  /** As {@link #busyCores}, between two wall-clock instants (ms since the epoch). */
  Map<String, Double> busyCoresEpochMillis(long fromMillis, long toMillis) {
    return between(fromMillis, toMillis, Reading::epochMillis);
  }

  /** CPU microseconds per record at {@code recordsPerSecond}, for each entry of {@code cores}. */
  static Map<String, Double> microsPerRecord(Map<String, Double> cores, double recordsPerSecond) {
    Map<String, Double> out = new LinkedHashMap<>();
    cores.forEach((name, c) -> out.put(name, c / recordsPerSecond * 1e6));
    return out;
  }

  private synchronized Map<String, Double> between(
      long from, long to, ToLongFunction<Reading> clock) {
    Reading a = null;
    Reading b = null;
    for (Reading r : readings) {
      if (clock.applyAsLong(r) <= from || a == null) {
        a = r;
      }
      if (b == null && clock.applyAsLong(r) >= to) {
        b = r;
      }
    }
    if (b == null && !readings.isEmpty()) {
      b = readings.get(readings.size() - 1);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (a == null || b == null || b.total <= a.total) {
      return out;
    }
    // Ticks of every clock here are the same unit (USER_HZ), and the machine's total ticks over
    // the window are cpus x its length: shares of the total, times cpus, are busy cores.
    double total = b.total - a.total;
    out.put(MACHINE, cpus * (b.busy - a.busy) / total);
    int i = 0;
    for (String name : pids.keySet()) {
      long before = a.processes[i];
      long after = b.processes[i];
      if (before >= 0 && after >= 0) {
        out.put(name, cpus * (after - before) / total);
      }
      i++;
    }
    return out;
  }

  private void sampleUntilClosed() {
    while (running) {
      try {
        Reading r = read();
        synchronized (this) {
          readings.add(r);
        }
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        return; // no /proc: the readings stay as they are
      }
    }
  }

  private Reading read() throws IOException {
    long nanos = System.nanoTime();
    long millis = System.currentTimeMillis();
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    // cpu user nice system idle iowait irq softirq steal ...
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    long busy = 0;
    for (int k : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[k]);
    }
    long[] processes = new long[pids.size()];
    int i = 0;
    for (long pid : pids.values()) {
      processes[i++] = processTicks(pid);
    }
    return new Reading(nanos, millis, busy, busy + idle, processes);
  }

  /** utime + stime of a process, or -1 once it is gone. */
  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name is in parentheses and may hold spaces: fields are counted after it.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static int cpuCount() {
    try {
      return (int)
          Files.readAllLines(Path.of("/proc/stat")).stream()
              .filter(l -> l.matches("cpu\\d+ .*"))
              .count();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
