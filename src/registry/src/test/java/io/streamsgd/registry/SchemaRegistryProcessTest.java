package io.streamsgd.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryProcessTest {

  @Test
  void keepsTheLastLines() {
    assertThat(SchemaRegistryProcess.lastLines("a\nb\r\nc\nd", 2)).isEqualTo(List.of("c", "d"));
    assertThat(SchemaRegistryProcess.lastLines("a", 5)).isEqualTo(List.of("a"));
  }

  @Test
  void readsOnlyWhatThisStartWrote(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("registry.log");
    assertThat(SchemaRegistryProcess.readFrom(log, 0)).isEmpty();
    Files.writeString(log, "Listening on: http://127.0.0.1:1111\n");
    long offset = Files.size(log);
    assertThat(SchemaRegistryProcess.readFrom(log, offset)).isEmpty();
    Files.writeString(
        log, "Listening on: http://127.0.0.1:2222\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(SchemaRegistryProcess.readFrom(log, offset))
        .isEqualTo("Listening on: http://127.0.0.1:2222\n");
  }

  @Test
  void findsTheRunnerJarThisModuleWasBuiltWith() {
    assertThat(SchemaRegistryProcess.runnerJar().getFileName().toString()).endsWith("-runner.jar");
  }
}
