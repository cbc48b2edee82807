package io.streamsgd.schema.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry as the framing code uses it: writer schemas cached by id (a registered id never
 * changes its schema), and every call retried with backoff while the registry is unavailable, so
 * the caller waits (and its stream backs up) instead of misfiling a record. One instance per
 * registry configuration per JVM ({@link #shared}), so all tasks of a process share one cache and
 * one HTTP client.
 */
public final class CachedRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(CachedRegistry.class);
  private static final Map<RegistryConfig, CachedRegistry> SHARED = new ConcurrentHashMap<>();

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * How long an id the registry did not have stays "unknown" without asking again: bounds the
   * requests a stream of records with made-up ids can cause.
   */
  static final Duration UNKNOWN_ID_TTL = Duration.ofSeconds(30);

  static final int MAX_UNKNOWN_IDS = 10_000;

  private final SchemaRegistryClient client;
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<Integer, Long> unknownUntil = new ConcurrentHashMap<>();
  private final Map<String, Integer> registered = new ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();

  CachedRegistry(SchemaRegistryClient client) {
    this.client = client;
  }

  /** The process's instance for {@code config}. */
  public static CachedRegistry shared(RegistryConfig config) {
    return SHARED.computeIfAbsent(config, c -> new CachedRegistry(new SchemaRegistryClient(c)));
  }

  public RegistryConfig config() {
    return client.config();
  }

  /**
   * The writer schema registered under {@code id}, or empty when the registry has none. Waits,
   * retrying, while the registry is unavailable.
   *
   * @throws RegistryException when the registry refuses the request (credentials, wrong URL)
   * @throws RegistryInterruptedException when the thread is interrupted while waiting
   */
  public Optional<Schema> writerSchema(int id) {
    Schema known = byId.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    Long until = unknownUntil.get(id);
    if (until != null && System.nanoTime() - until < 0) {
      return Optional.empty();
    }
    Optional<Schema> found = retrying("schema id " + id, () -> client.schemaById(id));
    if (found.isPresent()) {
      byId.putIfAbsent(id, found.get());
      unknownUntil.remove(id);
    } else {
      if (unknownUntil.size() >= MAX_UNKNOWN_IDS) {
        unknownUntil.clear();
      }
      unknownUntil.put(id, System.nanoTime() + UNKNOWN_ID_TTL.toNanos());
    }
    return found;
  }

  /**
   * Registers {@code schema} under {@code subject} (idempotent: the same schema gets its existing
   * id), waiting and retrying while the registry is unavailable.
   */
  public synchronized int register(String subject, Schema schema) {
    // One request per subject and schema per process, however many tasks open a sink at once.
    String key = subject + "\n" + SchemaNormalization.parsingFingerprint64(schema);
    Integer known = registered.get(key);
    if (known != null) {
      return known;
    }
    int id = retrying("registering " + subject, () -> client.register(subject, schema));
    byId.putIfAbsent(id, schema);
    registered.put(key, id);
    return id;
  }

  /**
   * Registers {@code schema} as the value schema of {@code topic}, under {@code <topic>-value}
   * (Confluent's TopicNameStrategy, what Confluent-framed consumers of the topic look for).
   */
  public int registerValueSchema(String topic, Schema schema) {
    return register(topic + "-value", schema);
  }

  /** How many calls failed because the registry was unavailable, and were tried again. */
  public long retries() {
    return retries.get();
  }

  private interface Call<T> {
    T run() throws RegistryUnavailableException;
  }

  private <T> T retrying(String what, Call<T> call) {
    long backoff = FIRST_BACKOFF.toMillis();
    long waitingSince = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        T result = call.run();
        if (attempt > 1) {
          LOG.info(
              "Schema registry answered for {} after {} attempts ({} ms)",
              what,
              attempt,
              (System.nanoTime() - waitingSince) / 1_000_000);
        }
        return result;
      } catch (RegistryUnavailableException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new RegistryInterruptedException(what, e);
        }
        retries.incrementAndGet();
        LOG.warn(
            "Schema registry unavailable for {} (attempt {}): {}; trying again in {} ms",
            what,
            attempt,
            e.getMessage(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new RegistryInterruptedException(what, interrupted);
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      }
    }
  }

  /** The thread was interrupted (a task cancelled) while it waited for the registry. */
  public static final class RegistryInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryInterruptedException(String what, Throwable cause) {
      super("interrupted while waiting for the schema registry (" + what + ")", cause);
    }
  }
}
