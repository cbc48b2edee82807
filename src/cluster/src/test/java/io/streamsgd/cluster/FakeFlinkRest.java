package io.streamsgd.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP server on 127.0.0.1 that answers like Flink's REST API and records what it was sent. */
final class FakeFlinkRest implements AutoCloseable {

  /** One request as received; {@code target} is the path with its query, as sent. */
  record Request(String method, String target, String contentType, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private record Reply(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private FakeFlinkRest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeFlinkRest start() throws IOException {
    return new FakeFlinkRest();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Answers {@code "METHOD /path?query"} with {@code status} and the {@code bodies} in turn, the
   * last one from then on.
   */
  FakeFlinkRest on(String request, int status, String... bodies) {
    Deque<Reply> queue = new ArrayDeque<>();
    Arrays.stream(bodies).forEach(b -> queue.add(new Reply(status, b)));
    replies.put(request, queue);
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String target = exchange.getRequestURI().getRawPath();
    if (exchange.getRequestURI().getRawQuery() != null) {
      target += "?" + exchange.getRequestURI().getRawQuery();
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(
        new Request(method, target, exchange.getRequestHeaders().getFirst("Content-Type"), body));
    Reply reply;
    Deque<Reply> queue = replies.get(method + " " + target);
    if (queue == null) {
      // What Flink's router answers for a path it has no handler for.
      reply = new Reply(404, "{\"errors\":[\"Not found: " + target + "\"]}");
    } else {
      synchronized (queue) {
        reply = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
