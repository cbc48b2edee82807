package io.streamsgd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.cluster.FakeFlinkRest.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkRestClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeFlinkRest flink;
  private FlinkRestClient client;

  @BeforeEach
  void startFlink() throws IOException {
    flink = FakeFlinkRest.start();
    client = new FlinkRestClient(flink.url());
  }

  @AfterEach
  void stopFlink() {
    flink.close();
  }

  @Test
  void urlEndsWithOneSlashWhetherOrNotItWasGivenOne() {
    assertThat(new FlinkRestClient("http://127.0.0.1:8081").url())
        .isEqualTo("http://127.0.0.1:8081/");
    assertThat(new FlinkRestClient("http://127.0.0.1:8081/").url())
        .isEqualTo("http://127.0.0.1:8081/");
  }

  @Test
  void requestsStayUnderThePathOfTheRestUrl() throws Exception {
    flink.on("GET /proxy/flink/overview", 200, "{\"taskmanagers\":1}");

    JsonNode overview = new FlinkRestClient(flink.url() + "/proxy/flink").overview();

    assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
    assertThat(flink.requests())
        .extracting(Request::target)
        .containsExactly("/proxy/flink/overview");
  }

  @Test
  void overviewGetsTheClusterOverview() throws Exception {
    String reply =
        "{\"taskmanagers\":2,\"slots-total\":2,\"slots-available\":1,\"jobs-running\":1,"
            + "\"flink-version\":\"2.2.1\"}";
    flink.on("GET /overview", 200, reply);

    JsonNode overview = client.overview();

    assertThat(overview).isEqualTo(JSON.readTree(reply));
    Request request = single(flink.requests());
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.target()).isEqualTo("/overview");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void uploadSendsTheJarAsMultipartAndReturnsItsId(@TempDir Path dir) throws Exception {
    // Binary content with a line break in it: the upload must not treat the jar as text.
    byte[] jarBytes = {0x50, 0x4b, 0x03, 0x04, '\r', '\n', (byte) 0xff, 0x00, '-', '-'};
    Path jar = Files.write(dir.resolve("trainer.jar"), jarBytes);
    flink.on(
        "POST /jars/upload",
        200,
        "{\"filename\":\"/tmp/flink-web-1/flink-web-upload/5b1c9e_trainer.jar\","
            + "\"status\":\"success\"}");

    String jarId = client.uploadJar(jar);

    assertThat(jarId).isEqualTo("5b1c9e_trainer.jar");
    Request request = single(flink.requests());
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/jars/upload");
    assertThat(request.contentType()).startsWith("multipart/form-data; boundary=streamsgd-");
    String boundary = request.contentType().substring("multipart/form-data; boundary=".length());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"trainer.jar\"\r\n"
                + "Content-Type: application/x-java-archive\r\n"
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(jarBytes);
    expected.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(request.body()).isEqualTo(expected.toByteArray());
  }

  @Test
  void deleteJarSendsDeleteForTheJarId() throws Exception {
    flink.on("DELETE /jars/5b1c9e_trainer.jar", 200, "{}");

    client.deleteJar("5b1c9e_trainer.jar");

    Request request = single(flink.requests());
    assertThat(request.method()).isEqualTo("DELETE");
    assertThat(request.target()).isEqualTo("/jars/5b1c9e_trainer.jar");
  }

  @Test
  void runJarPostsOnlyTheProgramArgumentsWhenNothingElseIsGivenAndReturnsTheJobId()
      throws Exception {
    flink.on("POST /jars/5b1c9e_trainer.jar/run", 200, "{\"jobid\":\"a1b2c3\"}");

    String jobId =
        client.runJar("5b1c9e_trainer.jar", List.of("--spec", "my spec.json"), null, null);

    assertThat(jobId).isEqualTo("a1b2c3");
    Request request = single(flink.requests());
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/jars/5b1c9e_trainer.jar/run");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(JSON.readTree("{\"programArgsList\":[\"--spec\",\"my spec.json\"]}"));
  }

  @Test
  void runJarFromASavepointSendsItsPathAndTheParallelism() throws Exception {
    flink.on("POST /jars/j/run", 200, "{\"jobid\":\"a1b2c3\"}");

    client.runJar("j", List.of(), "file:/savepoints/savepoint-1", 2);

    assertThat(JSON.readTree(single(flink.requests()).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"programArgsList\":[],\"savepointPath\":\"file:/savepoints/savepoint-1\","
                    + "\"parallelism\":2}"));
  }

  @Test
  void runJarSendsEntryClassAndAllowNonRestoredStateWhenAsked() throws Exception {
    flink.on("POST /jars/j/run", 200, "{\"jobid\":\"a1b2c3\"}");

    client.runJar(
        "j", "io.streamsgd.job.Main", List.of("--x", "1"), "file:/savepoints/savepoint-1", true, 4);

    assertThat(JSON.readTree(single(flink.requests()).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"entryClass\":\"io.streamsgd.job.Main\",\"allowNonRestoredState\":true,"
                    + "\"programArgsList\":[\"--x\",\"1\"],"
                    + "\"savepointPath\":\"file:/savepoints/savepoint-1\",\"parallelism\":4}"));
  }

  @Test
  void jobStateAndJobReadTheJobDetails() throws Exception {
    String details =
        "{\"jid\":\"a1b2c3\",\"name\":\"trainer\",\"state\":\"RUNNING\","
            + "\"vertices\":[{\"id\":\"v1\",\"name\":\"Source: samples\"}]}";
    flink.on("GET /jobs/a1b2c3", 200, details);

    assertThat(client.jobState("a1b2c3")).isEqualTo("RUNNING");
    assertThat(client.job("a1b2c3")).isEqualTo(JSON.readTree(details));
    assertThat(flink.requests())
        .extracting(r -> r.method() + " " + r.target())
        .containsExactly("GET /jobs/a1b2c3", "GET /jobs/a1b2c3");
  }

  @Test
  void awaitStatePollsUntilTheJobIsInOneOfTheStates() throws Exception {
    flink.on(
        "GET /jobs/a1b2c3",
        200,
        "{\"state\":\"CREATED\"}",
        "{\"state\":\"INITIALIZING\"}",
        "{\"state\":\"RUNNING\"}",
        "{\"state\":\"FINISHED\"}");

    String state = client.awaitState("a1b2c3", Set.of("RUNNING", "FAILED"), Duration.ofSeconds(10));

    assertThat(state).isEqualTo("RUNNING");
    assertThat(flink.requests()).hasSize(3);
  }

  @Test
  void awaitStateReturnsTheLastStateSeenWhenTimeRunsOut() throws Exception {
    flink.on("GET /jobs/a1b2c3", 200, "{\"state\":\"RESTARTING\"}");

    String state = client.awaitState("a1b2c3", Set.of("RUNNING"), Duration.ofMillis(300));

    assertThat(state).isEqualTo("RESTARTING");
    assertThat(flink.requests().size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void vertexMetricSumAsksForTheSumOverSubtasksAndReadsIt() throws Exception {
    flink.on(
        "GET /jobs/a1b2c3/vertices/v1/subtasks/metrics?get=numRecordsIn&agg=sum",
        200,
        "[{\"id\":\"numRecordsIn\",\"sum\":1234.0}]");

    assertThat(client.vertexMetricSum("a1b2c3", "v1", "numRecordsIn")).isEqualTo(1234.0);
  }

  @Test
  void vertexMetricSumIsNaNUntilTheMetricIsReported() throws Exception {
    flink.on("GET /jobs/a1b2c3/vertices/v1/subtasks/metrics?get=numRecordsIn&agg=sum", 200, "[]");

    assertThat(client.vertexMetricSum("a1b2c3", "v1", "numRecordsIn")).isNaN();
  }

  @Test
  void checkpointConfigAndCheckpointsReadTheirEndpoints() throws Exception {
    String config = "{\"mode\":\"exactly_once\",\"interval\":1000,\"state_backend\":\"rocksdb\"}";
    String checkpoints = "{\"counts\":{\"completed\":3,\"failed\":0}}";
    flink.on("GET /jobs/a1b2c3/checkpoints/config", 200, config);
    flink.on("GET /jobs/a1b2c3/checkpoints", 200, checkpoints);

    assertThat(client.checkpointConfig("a1b2c3")).isEqualTo(JSON.readTree(config));
    assertThat(client.checkpoints("a1b2c3")).isEqualTo(JSON.readTree(checkpoints));
  }

  @Test
  void failuresCountsTheEntriesOfTheExceptionHistory() throws Exception {
    flink.on(
        "GET /jobs/a1b2c3/exceptions?maxExceptions=1000",
        200,
        "{\"exceptionHistory\":{\"entries\":[{\"exceptionName\":\"java.io.IOException\"},"
            + "{\"exceptionName\":\"java.lang.RuntimeException\"}],\"truncated\":false}}",
        "{\"exceptionHistory\":{\"entries\":[],\"truncated\":false}}");

    assertThat(client.failures("a1b2c3")).isEqualTo(2);
    assertThat(client.failures("a1b2c3")).isZero();
  }

  @Test
  void latestRootCauseIsTheInnermostCauseOfTheNewestFailure() throws Exception {
    String trace =
        "org.apache.flink.runtime.JobException: Recovery is suppressed by"
            + " ExponentialDelayRestartBackoffTimeStrategy\\n\\tat org.apache.flink.X.y(X.java:1)\\n"
            + "Caused by: org.apache.flink.util.FlinkRuntimeException: Failed to send data\\n"
            + "\\tat a.b.C.d(C.java:2)\\n"
            + "Caused by: org.apache.kafka.common.errors.RecordTooLargeException: The message is"
            + " 2097323 bytes when serialized which is larger than 1048576\\n\\tat e.f.G.h(G.java:3)";
    flink.on(
        "GET /jobs/a1b2c3/exceptions?maxExceptions=1",
        200,
        "{\"exceptionHistory\":{\"entries\":[{\"exceptionName\":\"x\",\"stacktrace\":\""
            + trace
            + "\"}],\"truncated\":false}}",
        "{\"exceptionHistory\":{\"entries\":[],\"truncated\":false}}");

    assertThat(client.latestRootCause("a1b2c3"))
        .isEqualTo(
            "org.apache.kafka.common.errors.RecordTooLargeException: The message is 2097323 bytes"
                + " when serialized which is larger than 1048576");
    assertThat(client.latestRootCause("a1b2c3")).isNull();
  }

  @Test
  void cancelPatchesTheJobWithModeCancelAndAcceptsAnEmptyReply() throws Exception {
    flink.on("PATCH /jobs/a1b2c3?mode=cancel", 202, "");

    client.cancel("a1b2c3");

    Request request = single(flink.requests());
    assertThat(request.method()).isEqualTo("PATCH");
    assertThat(request.target()).isEqualTo("/jobs/a1b2c3?mode=cancel");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void anEmptySuccessfulReplyReadsAsAnEmptyObject() throws Exception {
    flink.on("GET /overview", 200, "");

    JsonNode overview = client.overview();

    assertThat(overview.isObject()).isTrue();
    assertThat(overview.isEmpty()).isTrue();
  }

  @Test
  void stopWithSavepointStopsWithoutDrainingAndReturnsTheSavepointLocation() throws Exception {
    flink.on("POST /jobs/a1b2c3/stop", 202, "{\"request-id\":\"trigger-1\"}");
    flink.on(
        "GET /jobs/a1b2c3/savepoints/trigger-1",
        200,
        "{\"status\":{\"id\":\"IN_PROGRESS\"}}",
        "{\"status\":{\"id\":\"COMPLETED\"},"
            + "\"operation\":{\"location\":\"file:/savepoints/savepoint-a1b2c3-1\"}}");

    String location =
        client.stopWithSavepoint("a1b2c3", "file:/savepoints", Duration.ofSeconds(10));

    assertThat(location).isEqualTo("file:/savepoints/savepoint-a1b2c3-1");
    List<Request> requests = flink.requests();
    assertThat(requests)
        .extracting(r -> r.method() + " " + r.target())
        .containsExactly(
            "POST /jobs/a1b2c3/stop",
            "GET /jobs/a1b2c3/savepoints/trigger-1",
            "GET /jobs/a1b2c3/savepoints/trigger-1");
    assertThat(requests.get(0).contentType()).isEqualTo("application/json");
    assertThat(JSON.readTree(requests.get(0).body()))
        .isEqualTo(JSON.readTree("{\"targetDirectory\":\"file:/savepoints\",\"drain\":false}"));
  }

  @Test
  void stopWithSavepointReportsTheFailureCauseOfAFailedSavepoint() throws Exception {
    flink.on("POST /jobs/a1b2c3/stop", 202, "{\"request-id\":\"trigger-1\"}");
    flink.on(
        "GET /jobs/a1b2c3/savepoints/trigger-1",
        200,
        "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":{"
            + "\"class\":\"java.util.concurrent.CompletionException\","
            + "\"stack-trace\":\"java.lang.Exception: Checkpoint Coordinator is suspending.\"}}}");

    assertThatThrownBy(
            () -> client.stopWithSavepoint("a1b2c3", "file:/savepoints", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessage("savepoint failed: java.lang.Exception: Checkpoint Coordinator is suspending.");
  }

  @Test
  void stopWithSavepointGivesUpWhenTheSavepointDoesNotCompleteInTime() {
    flink.on("POST /jobs/a1b2c3/stop", 202, "{\"request-id\":\"trigger-1\"}");
    flink.on("GET /jobs/a1b2c3/savepoints/trigger-1", 200, "{\"status\":{\"id\":\"IN_PROGRESS\"}}");

    assertThatThrownBy(
            () -> client.stopWithSavepoint("a1b2c3", "file:/savepoints", Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessage("savepoint of a1b2c3 did not complete within PT0.3S");
  }

  @Test
  void anErrorReplyBecomesAnIOExceptionWithMethodUrlStatusAndFlinksErrors() {
    flink.on("GET /jobs/deadbeef", 404, "{\"errors\":[\"Job deadbeef not found\"]}");

    assertThatThrownBy(() -> client.jobState("deadbeef"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "GET "
                + flink.url()
                + "/jobs/deadbeef -> HTTP 404: {\"errors\":[\"Job deadbeef not found\"]}");
  }

  @Test
  void aFailedRunReportsFlinksErrorsForThePost() {
    String errors =
        "{\"errors\":[\"Internal server error.\",\"<Exception on server side:\\n"
            + "org.apache.flink.client.program.ProgramInvocationException: The main method caused"
            + " an error: no spec\\n>\"]}";
    flink.on("POST /jars/j/run", 500, errors);

    assertThatThrownBy(() -> client.runJar("j", List.of(), null, null))
        .isInstanceOf(IOException.class)
        .hasMessage("POST " + flink.url() + "/jars/j/run -> HTTP 500: " + errors);
  }

  @Test
  void aPathFlinkDoesNotKnowIsReportedWithFlinksNotFoundError() {
    assertThatThrownBy(() -> client.checkpoints("a1b2c3"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "GET "
                + flink.url()
                + "/jobs/a1b2c3/checkpoints -> HTTP 404: "
                + "{\"errors\":[\"Not found: /jobs/a1b2c3/checkpoints\"]}");
  }

  @Test
  void anUnreachableClusterIsReportedAsConnectionRefused() {
    String url = flink.url();
    flink.close();
    FlinkRestClient unreachable = new FlinkRestClient(url);

    assertThatThrownBy(unreachable::overview)
        .isInstanceOf(IOException.class)
        .hasMessage("cannot reach the Flink REST API at " + url + "/ (connection refused)")
        .hasCauseInstanceOf(ConnectException.class);
  }

  private static Request single(List<Request> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }
}
