package io.streamsgd.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The parts of Flink's REST API that deploying and operating the trainer needs: upload and run a
 * jar (what {@code flink run} does against a session cluster), job state, cancel, savepoints.
 */
public final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FlinkRestClient(String restUrl) {
    this.base = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
  }

  public String url() {
    return base.toString();
  }

  /** Cluster overview ({@code GET /overview}), e.g. taskmanagers, slots-total, slots-available. */
  public JsonNode overview() throws IOException, InterruptedException {
    return get("overview");
  }

  /** Uploads a job jar; returns the id the cluster gave it. */
  public String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "streamsgd-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jars/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .timeout(Duration.ofMinutes(2))
            .build();
    JsonNode reply = send(request);
    String filename = reply.path("filename").asText();
    return Path.of(filename).getFileName().toString();
  }

  /** Removes an uploaded jar from the cluster. */
  public void deleteJar(String jarId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(base.resolve("jars/" + jarId))
            .DELETE()
            .timeout(Duration.ofSeconds(30))
            .build());
  }

  /**
   * Runs an uploaded jar's main class with {@code args}; returns the job id.
   *
   * @param savepointPath restore from this savepoint, or null
   */
  public String runJar(String jarId, List<String> args, String savepointPath, Integer parallelism)
      throws IOException, InterruptedException {
    return runJar(jarId, args, savepointPath, false, parallelism);
  }

  /**
   * Runs an uploaded jar's main class with {@code args}; returns the job id.
   *
   * @param savepointPath restore from this savepoint, or null
   * @param allowNonRestoredState start even if the savepoint holds state of an operator the job no
   *     longer has
   */
  public String runJar(
      String jarId,
      List<String> args,
      String savepointPath,
      boolean allowNonRestoredState,
      Integer parallelism)
      throws IOException, InterruptedException {
    return runJar(jarId, null, args, savepointPath, allowNonRestoredState, parallelism);
  }

  /**
   * Runs {@code entryClass} of an uploaded jar (null: the jar's Main-Class) with {@code args};
   * returns the job id.
   */
  public String runJar(
      String jarId,
      String entryClass,
      List<String> args,
      String savepointPath,
      boolean allowNonRestoredState,
      Integer parallelism)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    if (entryClass != null) {
      body.put("entryClass", entryClass);
    }
    if (allowNonRestoredState) {
      body.put("allowNonRestoredState", true);
    }
    body.putArray("programArgsList")
        .addAll(args.stream().map(JSON.getNodeFactory()::textNode).toList());
    if (savepointPath != null) {
      body.put("savepointPath", savepointPath);
    }
    if (parallelism != null) {
      body.put("parallelism", parallelism);
    }
    return send(post("jars/" + jarId + "/run", body)).path("jobid").asText();
  }

  /** The job's state: CREATED, RUNNING, FAILING, RESTARTING, FINISHED, CANCELED, FAILED, ... */
  public String jobState(String jobId) throws IOException, InterruptedException {
    return get("jobs/" + jobId).path("state").asText();
  }

  /**
   * Polls the job's state until it is one of {@code states} or {@code timeout} passed; returns the
   * last state seen.
   */
  public String awaitState(String jobId, java.util.Set<String> states, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = jobState(jobId);
    while (!states.contains(state) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      state = jobState(jobId);
    }
    return state;
  }

  /** The job's details ({@code GET /jobs/:id}): state, vertices with their ids and names, times. */
  public JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("jobs/" + jobId);
  }

  /** A task metric summed over the vertex's subtasks, e.g. numRecordsIn; NaN until reported. */
  public double vertexMetricSum(String jobId, String vertexId, String metric)
      throws IOException, InterruptedException {
    JsonNode values =
        get(
            "jobs/"
                + jobId
                + "/vertices/"
                + vertexId
                + "/subtasks/metrics?get="
                + metric
                + "&agg=sum");
    for (JsonNode v : values) {
      if (metric.equals(v.path("id").asText())) {
        return v.path("sum").asDouble(Double.NaN);
      }
    }
    return Double.NaN;
  }

  /**
   * Checkpointing configuration ({@code GET /jobs/:id/checkpoints/config}): state backend, storage,
   * interval.
   */
  public JsonNode checkpointConfig(String jobId) throws IOException, InterruptedException {
    return get("jobs/" + jobId + "/checkpoints/config");
  }

  /** Checkpoint statistics ({@code GET /jobs/:id/checkpoints}). */
  public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("jobs/" + jobId + "/checkpoints");
  }

  /**
   * How many failures the job has recovered from, by its exception history ({@code GET
   * /jobs/:id/exceptions}).
   */
  public int failures(String jobId) throws IOException, InterruptedException {
    return get("jobs/" + jobId + "/exceptions?maxExceptions=1000")
        .path("exceptionHistory")
        .path("entries")
        .size();
  }

  /**
   * The root cause of the job's latest failure, as {@code Class: message} (the innermost "Caused
   * by" of its stack trace), or null when it has not failed ({@code GET /jobs/:id/exceptions}).
   */
  public String latestRootCause(String jobId) throws IOException, InterruptedException {
    JsonNode entries =
        get("jobs/" + jobId + "/exceptions?maxExceptions=1")
            .path("exceptionHistory")
            .path("entries");
    if (entries.isEmpty()) {
      return null;
    }
    return rootCause(entries.get(0).path("stacktrace").asText(""));
  }

  /** The innermost cause in a Java stack trace's text: its last "Caused by:" line, or its first. */
  static String rootCause(String stackTrace) {
    String root = stackTrace.lines().findFirst().orElse("").trim();
    for (String line : (Iterable<String>) stackTrace.lines()::iterator) {
      if (line.startsWith("Caused by: ")) {
        root = line.substring("Caused by: ".length()).trim();
      }
    }
    return root;
  }

  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    send(request);
  }

  /** Stops the job with a savepoint under {@code directory}; returns the savepoint's path. */
  public String stopWithSavepoint(String jobId, String directory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("targetDirectory", directory).put("drain", false);
    String trigger = send(post("jobs/" + jobId + "/stop", body)).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode op = status.path("operation");
        if (op.has("failure-cause")) {
          throw new IOException(
              "savepoint failed: " + op.path("failure-cause").path("stack-trace").asText());
        }
        return op.path("location").asText();
      }
      Thread.sleep(200);
    }
    throw new IOException("savepoint of " + jobId + " did not complete within " + timeout);
  }

  private HttpRequest post(String path, JsonNode body) throws IOException {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .timeout(Duration.ofMinutes(2))
        .build();
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      return send(request);
    } catch (java.net.ConnectException e) {
      throw e;
    } catch (IOException e) {
      // A kept-alive connection the server closed meanwhile fails its next request at once
      // ("header parser received no bytes"); a GET changes nothing, so it is sent once more.
      if (e.getCause() instanceof java.net.ConnectException || !isStaleConnection(e)) {
        throw e;
      }
      return send(request);
    }
  }

  private static boolean isStaleConnection(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("header parser received no bytes")
        || message.contains("Connection reset")
        || e instanceof java.io.EOFException;
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException(
          "cannot reach the Flink REST API at " + base + " (connection refused)", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          request.method()
              + " "
              + request.uri()
              + " -> HTTP "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }
}
