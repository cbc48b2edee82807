package io.streamsgd.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamsgd.schema.registry.CachedRegistry;
import io.streamsgd.schema.registry.RegistryConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/**
 * The two calls of a schema registry's Confluent API that the serving code makes (a schema by id,
 * registering under a subject), answered over real HTTP from a map, so that unit tests run in
 * milliseconds. The integration tests use a real registry ({@code ConfluentFramingITCase}).
 */
final class StubSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final List<String> registeredSubjects = new CopyOnWriteArrayList<>();

  StubSchemaRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/schemas/ids/", this::schemaById);
    server.createContext("/subjects/", this::register);
    server.start();
  }

  /** Serves {@code schema} under {@code id}. */
  StubSchemaRegistry with(int id, Schema schema) {
    byId.put(id, schema);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A client of this registry (the process's shared one for its URL). */
  CachedRegistry registry() {
    return CachedRegistry.shared(RegistryConfig.of(url()));
  }

  /** The subjects schemas were registered under, in order. */
  List<String> registeredSubjects() {
    return List.copyOf(registeredSubjects);
  }

  private void schemaById(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Schema schema = byId.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
    if (schema == null) {
      answer(exchange, 404, Map.of("error_code", 40403, "message", "Schema not found"));
    } else {
      answer(exchange, 200, Map.of("schema", schema.toString()));
    }
  }

  /** {@code POST /subjects/{subject}/versions}: the id of an equal schema held, else a new one. */
  private void register(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String subject = path.substring("/subjects/".length(), path.lastIndexOf("/versions"));
    Schema schema =
        new Schema.Parser().parse(JSON.readTree(exchange.getRequestBody()).get("schema").asText());
    registeredSubjects.add(subject);
    int id =
        byId.entrySet().stream()
            .filter(e -> e.getValue().equals(schema))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseGet(
                () -> {
                  int next = byId.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1;
                  byId.put(next, schema);
                  return next;
                });
    answer(exchange, 200, Map.of("id", id));
  }

  private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
