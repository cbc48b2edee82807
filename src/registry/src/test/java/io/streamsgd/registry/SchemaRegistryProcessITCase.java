package io.streamsgd.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Apicurio Registry as a child process, through its Confluent-compatible REST API. */
class SchemaRegistryProcessITCase {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void registersEvolvesAndServesAvroSchemasThenStops(@TempDir Path dir) throws Exception {
    Schema v1 =
        SchemaBuilder.record("Sample")
            .namespace("io.streamsgd.test")
            .fields()
            .requiredString("key")
            .requiredDouble("label")
            .endRecord();
    Schema v2 =
        SchemaBuilder.record("Sample")
            .namespace("io.streamsgd.test")
            .fields()
            .requiredString("key")
            .requiredDouble("label")
            .name("weight")
            .type()
            .doubleType()
            .doubleDefault(1.0)
            .endRecord();
    String subject = "samples-value";

    SchemaRegistryProcess registry = SchemaRegistryProcess.start(dir, START_TIMEOUT);
    long pid = registry.pid();
    try {
      assertThat(registry.confluentUrl())
          .isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
      String url = registry.confluentUrl();

      int id1 = register(url, subject, v1);
      assertThat(register(url, subject, v1)).as("the same schema again").isEqualTo(id1);

      HttpResponse<String> byId = get(url + "/schemas/ids/" + id1);
      assertThat(byId.statusCode()).isEqualTo(200);
      assertThat(new Schema.Parser().parse(JSON.readTree(byId.body()).get("schema").asText()))
          .isEqualTo(v1);

      int id2 = register(url, subject, v2);
      assertThat(id2).isNotEqualTo(id1);
      assertThat(
              new Schema.Parser()
                  .parse(
                      JSON.readTree(get(url + "/schemas/ids/" + id2).body())
                          .get("schema")
                          .asText()))
          .isEqualTo(v2);
      assertThat(JSON.readTree(get(url + "/subjects/" + subject + "/versions").body()).toString())
          .isEqualTo("[1,2]");

      HttpResponse<String> unknown = get(url + "/schemas/ids/" + (id2 + 1000));
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(unknown.body()).get("error_code").asInt()).isEqualTo(40403);
    } finally {
      registry.close();
    }
    assertThat(registry.isAlive()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d gone", pid)
        .isFalse();
  }

  @Test
  void comesBackWithItsSchemasAfterACrashWithFileStorage(@TempDir Path dir) throws Exception {
    Schema schema =
        SchemaBuilder.record("Spec")
            .namespace("io.streamsgd.test")
            .fields()
            .requiredInt("dim")
            .endRecord();
    SchemaRegistryProcess registry =
        SchemaRegistryProcess.start(dir, 0, SchemaRegistryProcess.fileStorage(dir), START_TIMEOUT);
    try {
      String url = registry.confluentUrl();
      int id = register(url, "specs-value", schema);
      registry.kill();
      assertThat(registry.isAlive()).isFalse();
      assertThatThrownBy(() -> get(url + "/schemas/ids/" + id)).isInstanceOf(IOException.class);

      registry = registry.restart(START_TIMEOUT);
      assertThat(registry.confluentUrl()).isEqualTo(url);
      HttpResponse<String> byId = get(url + "/schemas/ids/" + id);
      assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
      assertThat(new Schema.Parser().parse(JSON.readTree(byId.body()).get("schema").asText()))
          .isEqualTo(schema);
    } finally {
      registry.close();
    }
  }

  @Test
  void failsFastWithTheLogWhenItCannotBind(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> SchemaRegistryProcess.start(dir, taken.getLocalPort(), Map.of(), START_TIMEOUT))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("last lines of")
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(START_TIMEOUT);
    }
  }

  private int register(String url, String subject, Schema schema) throws Exception {
    String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode id = JSON.readTree(response.body()).get("id");
    assertThat(id).as(response.body()).isNotNull();
    return id.asInt();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", CONTENT_TYPE)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
