package io.streamsgd.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamsgd.cli.Main;
import io.streamsgd.cli.submit.SubmitCommand;
import io.streamsgd.job.StreamSgdJob;
import io.streamsgd.job.config.JobOptions;
import io.streamsgd.job.config.JobSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The deployment files, checked as far as a machine without Docker or Kubernetes allows: they
 * parse; every image tag agrees with the pom's versions; every streamsgd command in them, in the
 * READMEs and in the pages of docs/, is one the CLI accepts, with job options the job accepts;
 * every Flink setting is a key Flink knows; every environment variable of the compose file is
 * documented with its default; the job options table lists every job option.
 */
class DeploymentFilesTest {
  static final Path ROOT =
      Path.of(System.getProperty("streamsgd.repo.root", "../..")).toAbsolutePath().normalize();
  static final String FLINK = System.getProperty("streamsgd.flink.version");
  static final String KAFKA = System.getProperty("streamsgd.kafka.version");
  static final String VERSION =
      System.getProperty("streamsgd.version", "").replace("-SNAPSHOT", "");
  static final String JAVA = System.getProperty("streamsgd.java.release");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** ${NAME:-default} */
  static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");

  /** The page of docs/ that holds the table of job options. */
  static final String JOB_OPTIONS_PAGE = "docs/deployment.md";

  static String read(String path) throws IOException {
    return Files.readString(ROOT.resolve(path));
  }

  /** The Markdown files whose code blocks show commands: both READMEs and every page of docs/. */
  static List<String> documentation() throws IOException {
    List<String> files = new ArrayList<>(List.of("README.md", "docker/README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.map(p -> "docs/" + p.getFileName())
          .filter(name -> name.endsWith(".md"))
          .sorted()
          .forEach(files::add);
    }
    assertThat(files).as("the docs pages").contains(JOB_OPTIONS_PAGE);
    return files;
  }

  /** The compose file as Docker Compose reads it with no variable set: defaults, and $$ as $. */
  static String withDefaults(String text) {
    assertThat(text).as("every variable has a default").doesNotContainPattern("\\$\\{[A-Z0-9_]+}");
    return VARIABLE
        .matcher(text)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(2)))
        .replace("$$", "$");
  }

  /**
   * The compose file with its anchors and merge keys resolved (SnakeYAML does what Compose does;
   * Jackson's YAML reader would keep {@code <<} as a field).
   */
  static JsonNode compose() throws IOException {
    Object tree = new org.yaml.snakeyaml.Yaml().load(withDefaults(read("docker/compose.yaml")));
    return new ObjectMapper().valueToTree(tree);
  }

  /** Parses a streamsgd command line as the CLI would; fails on an unknown option or subcommand. */
  static ParseResult parse(List<String> words) {
    List<String> args = new ArrayList<>(words);
    while (!args.isEmpty() && !args.get(0).endsWith("streamsgd")) {
      args.remove(0); // exec, env assignments
    }
    assertThat(args).as("a streamsgd command: %s", words).isNotEmpty();
    args.remove(0);
    ParseResult parsed;
    try {
      parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError("streamsgd " + String.join(" ", args) + ": " + e.getMessage(), e);
    }
    ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    if (leaf.commandSpec().userObject() instanceof SubmitCommand) {
      // the job options as the job will see them; client files named in examples need not exist
      // here
      List<String> withoutFiles = new ArrayList<>(args);
      for (String fileOption : List.of("--kafka-config", "--job-config")) {
        int i = withoutFiles.indexOf(fileOption);
        if (i >= 0) {
          withoutFiles.subList(i, i + 2).clear();
        }
      }
      ParseResult again = Main.commandLine().parseArgs(withoutFiles.toArray(String[]::new));
      SubmitCommand submit = (SubmitCommand) again.subcommand().commandSpec().userObject();
      assertThatCode(() -> JobSettings.from(submit.jobConfiguration()))
          .as("job options of %s", args)
          .doesNotThrowAnyException();
    }
    return parsed;
  }

  static String subcommand(ParseResult parsed) {
    List<String> names = new ArrayList<>();
    for (ParseResult r = parsed.subcommand(); r != null; r = r.subcommand()) {
      names.add(r.commandSpec().name());
    }
    return String.join(" ", names);
  }

  @Test
  void everyJvmThatRunsFlinkTakesTheOneListOfOpens() throws IOException {
    // The list lives in the parent pom (flink.jvm.opens) and reaches the scripts as a file.
    for (String file : List.of("streamsgd", "docker/streamsgd-launcher.sh")) {
      assertThat(read(file)).as(file).doesNotContain("--add-opens").contains("java17-opens.txt");
    }
    assertThat(read("docker/serving.Dockerfile")).contains("java17-opens.txt");
    assertThat(read("pom.xml")).contains("<flink.jvm.opens>--add-opens=");
  }

  @Test
  void imagesArePinnedToThePomVersions() throws IOException {
    JsonNode services = compose().get("services");
    assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + KAFKA);
    for (String flink : List.of("jobmanager", "taskmanager")) {
      assertThat(services.get(flink).get("build").get("args").get("FLINK_VERSION").asText())
          .isEqualTo(FLINK);
      assertThat(services.get(flink).get("image").asText()).isEqualTo("streamsgd-job:" + VERSION);
      // Flink processes end themselves on fatal errors and rely on being started again.
      assertThat(services.get(flink).path("restart").asText())
          .as("restart policy of %s", flink)
          .isEqualTo("unless-stopped");
    }
    for (String app : List.of("setup", "serving", "producer")) {
      assertThat(services.get(app).get("image").asText()).isEqualTo("streamsgd:" + VERSION);
      assertThat(services.get(app).get("build").get("dockerfile").asText())
          .isEqualTo("docker/serving.Dockerfile");
    }
    String job = read("docker/job.Dockerfile");
    assertThat(job)
        .contains("ARG FLINK_VERSION=" + FLINK + "\n")
        .contains("FROM flink:${FLINK_VERSION}-java" + JAVA + "\n");
    assertThat(read("docker/serving.Dockerfile")).contains("ARG JAVA_VERSION=" + JAVA + "\n");

    JsonNode flinkDeployment = YAML.readTree(read("docker/k8s/flink-deployment.yaml"));
    String[] mm = FLINK.split("\\.");
    assertThat(flinkDeployment.get("spec").get("flinkVersion").asText())
        .isEqualTo("v" + mm[0] + "_" + mm[1]);
    assertThat(flinkDeployment.get("spec").get("image").asText())
        .isEqualTo("streamsgd-job:" + VERSION);
    JsonNode env = flinkDeployment.at("/spec/podTemplate/spec/containers/0/env");
    assertThat(env.findValuesAsText("value")).contains("flink-s3-fs-presto-" + FLINK + ".jar");
    JsonNode serving = YAML.readTree(read("docker/k8s/serving.yaml"));
    assertThat(serving.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("streamsgd:" + VERSION);
  }

  @Test
  void composeServicesRunCommandsTheCliAccepts() throws IOException {
    JsonNode services = compose().get("services");
    assertThat(services.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "kafka", "jobmanager", "taskmanager", "setup", "serving", "producer");

    // set-up: sh -c 'streamsgd topics create ... && streamsgd submit ...'
    List<String> setup = new ArrayList<>();
    for (String part : services.get("setup").get("command").get(0).asText().split("&&")) {
      setup.add(subcommand(parse(ShellWords.split(part))));
    }
    assertThat(setup).containsExactly("topics create", "submit");

    List<String> serve = ShellWords.split(services.get("serving").get("command").get(0).asText());
    ParseResult served = parse(serve);
    assertThat(subcommand(served)).isEqualTo("serve");
    String port = String.valueOf(served.subcommand().<Integer>matchedOptionValue("--http-port", 0));
    assertThat(services.get("serving").get("ports").get(0).asText()).endsWith(":" + port);

    List<String> produce = new ArrayList<>(List.of("streamsgd"));
    services.get("producer").get("command").forEach(w -> produce.add(w.asText()));
    assertThat(subcommand(parse(produce))).isEqualTo("produce");

    // the TaskManagers publish the port their Prometheus reporter listens on
    String flinkProperties =
        services.get("taskmanager").get("environment").get("FLINK_PROPERTIES").asText();
    Matcher reporterPort =
        Pattern.compile("(?m)^metrics\\.reporter\\.prom\\.port: (\\d+)$").matcher(flinkProperties);
    assertThat(reporterPort.find()).as("the Prometheus reporter's port").isTrue();
    assertThat(services.get("taskmanager").get("ports").get(0).asText())
        .endsWith(":" + reporterPort.group(1));
    // the Flink processes: every FLINK_PROPERTIES key is one Flink knows
    for (String flink : List.of("jobmanager", "taskmanager")) {
      for (String line :
          services.get(flink).get("environment").get("FLINK_PROPERTIES").asText().split("\n")) {
        if (!line.isBlank()) {
          assertThat(isFlinkKey(line.substring(0, line.indexOf(':')).trim()))
              .as("Flink knows '%s'", line)
              .isTrue();
        }
      }
    }
  }

  @Test
  void kubernetesManifestsRunTheJobAndTheServingApp() throws IOException {
    JsonNode fd = YAML.readTree(read("docker/k8s/flink-deployment.yaml"));
    assertThat(fd.get("kind").asText()).isEqualTo("FlinkDeployment");
    JsonNode job = fd.get("spec").get("job");
    assertThat(job.get("entryClass").asText()).isEqualTo(StreamSgdJob.class.getName());
    assertThat(job.get("upgradeMode").asText()).isEqualTo("savepoint");
    // the jar the image holds
    String jarInImage =
        read("docker/job.Dockerfile")
            .lines()
            .filter(l -> l.startsWith("COPY"))
            .findFirst()
            .orElseThrow()
            .split(" ")[2];
    assertThat(job.get("jarURI").asText()).isEqualTo("local://" + jarInImage);
    fd.get("spec")
        .get("flinkConfiguration")
        .fieldNames()
        .forEachRemaining(k -> assertThat(isFlinkKey(k)).as("Flink knows '%s'", k).isTrue());
    assertThat(
            fd.get("spec")
                .get("flinkConfiguration")
                .get(CheckpointingOptions.SAVEPOINT_DIRECTORY.key())
                .asText())
        .isNotBlank();
    assertThat(
            fd.get("spec")
                .get("flinkConfiguration")
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())
                .asText())
        .isNotBlank();
    // Prometheus scrapes the port the reporter listens on
    assertThat(fd.at("/spec/podTemplate/metadata/annotations").get("prometheus.io/port").asText())
        .isEqualTo(
            fd.get("spec").get("flinkConfiguration").get("metrics.reporter.prom.port").asText())
        .isEqualTo(fd.at("/spec/podTemplate/spec/containers/0/ports/0/containerPort").asText());

    // the job's arguments, minus --config (a file in the pod), are options the job accepts
    List<String> args = new ArrayList<>();
    job.get("args").forEach(a -> args.add(a.asText()));
    int config = args.indexOf("--config");
    assertThat(config).as("secrets come from a mounted file").isNotNegative();
    String mounted = args.get(config + 1);
    args.subList(config, config + 2).clear();
    assertThatCode(() -> JobSettings.from(StreamSgdJob.configuration(args.toArray(String[]::new))))
        .doesNotThrowAnyException();
    String mountPath =
        fd.at("/spec/podTemplate/spec/containers/0/volumeMounts/0/mountPath").asText();
    assertThat(mounted).startsWith(mountPath + "/");

    List<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(read("docker/k8s/serving.yaml"))
            .readAll();
    JsonNode deployment =
        docs.stream()
            .filter(d -> d.get("kind").asText().equals("Deployment"))
            .findFirst()
            .orElseThrow();
    JsonNode service =
        docs.stream()
            .filter(d -> d.get("kind").asText().equals("Service"))
            .findFirst()
            .orElseThrow();
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    List<String> serve = new ArrayList<>(List.of("streamsgd"));
    container.get("args").forEach(a -> serve.add(a.asText().replace("$(POD_IP)", "10.0.0.7")));
    ParseResult parsed = parse(serve);
    assertThat(subcommand(parsed)).isEqualTo("serve");
    assertThat(container.at("/ports/0/containerPort").asText())
        .isEqualTo(
            String.valueOf(parsed.subcommand().<Integer>matchedOptionValue("--http-port", 0)));
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
    assertThat(service.at("/spec/ports/0/targetPort").asText())
        .isEqualTo(container.at("/ports/0/name").asText());
    assertThat(service.at("/spec/selector/app").asText())
        .isEqualTo(deployment.at("/spec/template/metadata/labels/app").asText());
  }

  @Test
  void everyComposeVariableIsDocumentedWithItsDefault() throws IOException {
    String compose = read("docker/compose.yaml");
    String docs = read("docker/README.md");
    Map<String, String> defaults = new HashMap<>();
    Matcher m = VARIABLE.matcher(compose);
    while (m.find()) {
      String earlier = defaults.putIfAbsent(m.group(1), m.group(2));
      assertThat(earlier == null || earlier.equals(m.group(2)))
          .as("one default for %s", m.group(1))
          .isTrue();
    }
    assertThat(defaults).isNotEmpty();
    defaults.forEach(
        (name, value) ->
            assertThat(docs)
                .as("docker/README.md documents %s", name)
                .contains("| `" + name + "` | `" + value + "` |"));
  }

  @Test
  void documentedCommandsMatchTheCliAndTheFiles() throws IOException {
    Set<String> services = new HashSet<>();
    compose().get("services").fieldNames().forEachRemaining(services::add);
    Map<String, Integer> commands = new HashMap<>();
    for (String readme : documentation()) {
      for (String line : codeLines(read(readme))) {
        List<String> words = ShellWords.split(line);
        if (words.isEmpty()) {
          continue;
        }
        String first = words.get(0);
        if (first.equals("./streamsgd") || first.equals("streamsgd")) {
          parse(words);
          commands.merge(readme, 1, Integer::sum);
        }
        for (int i = 0; i + 1 < words.size(); i++) {
          String next = words.get(i + 1);
          if (words.get(i).equals("-f")
              && (next.endsWith(".yaml") || next.endsWith("Dockerfile"))) {
            assertThat(ROOT.resolve(words.get(i + 1)))
                .as("%s in %s", words.get(i + 1), readme)
                .exists();
          }
          if (words.get(i).equals("--scale")) {
            assertThat(services).as("service of %s", line).contains(words.get(i + 1).split("=")[0]);
          }
        }
        if (first.equals("docker") && words.size() > 2 && words.get(1).equals("compose")) {
          int exec = words.indexOf("exec");
          if (exec > 0) {
            assertThat(services).contains(words.get(exec + 1));
          }
        }
      }
    }
    // more than the READMEs alone hold: the pages of docs/ are read too, and a change of format
    // that hid the commands from this test would fail it
    assertThat(commands.values().stream().mapToInt(Integer::intValue).sum())
        .as("commands found in the documentation: %s", commands)
        .isGreaterThanOrEqualTo(20);
    assertThat(commands.getOrDefault("README.md", 0))
        .as("commands in README.md")
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void jobOptionsTableListsEveryJobOption() throws IOException {
    String page = read(JOB_OPTIONS_PAGE);
    Set<String> documented = new HashSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(streamsgd\\.[a-z0-9.-]+)` \\|").matcher(page);
    while (row.find()) {
      documented.add(row.group(1));
    }
    Set<String> keys = new HashSet<>();
    JobOptions.all().forEach(o -> keys.add(o.key()));
    assertThat(documented).as("job options in the table of %s", JOB_OPTIONS_PAGE).containsAll(keys);
    assertThat(keys).as("job options in the table of %s", JOB_OPTIONS_PAGE).containsAll(documented);
  }

  /** Lines of the fenced code blocks, with backslash continuations joined. */
  static List<String> codeLines(String markdown) {
    List<String> lines = new ArrayList<>();
    boolean code = false;
    StringBuilder pending = new StringBuilder();
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        code = !code;
        continue;
      }
      if (!code) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      lines.add(pending.append(line).toString().trim());
      pending.setLength(0);
    }
    return lines;
  }

  /** metrics.reporter.NAME.SETTING */
  static final Pattern REPORTER_KEY = Pattern.compile("metrics\\.reporter\\.[a-z0-9_-]+\\.(.+)");

  /**
   * A key of Flink's options, or a reporter's setting: one of Flink's reporter options, or the
   * Prometheus reporter's port (read by its factory, which declares no option for it).
   */
  static boolean isFlinkKey(String key) {
    Matcher reporter = REPORTER_KEY.matcher(key);
    if (reporter.matches()) {
      Set<String> settings = new HashSet<>(List.of("port"));
      for (ConfigOption<?> o :
          List.of(
              MetricOptions.REPORTER_FACTORY_CLASS,
              MetricOptions.REPORTER_INTERVAL,
              MetricOptions.REPORTER_SCOPE_DELIMITER,
              MetricOptions.REPORTER_EXCLUDED_VARIABLES,
              MetricOptions.REPORTER_ADDITIONAL_VARIABLES)) {
        settings.add(o.key());
      }
      return settings.contains(reporter.group(1));
    }
    return flinkKeys().contains(key);
  }

  private static Set<String> flinkKeysCache;

  /** Every key of Flink's options that deployments set. */
  static Set<String> flinkKeys() {
    if (flinkKeysCache == null) {
      Set<String> keys = new HashSet<>();
      for (Class<?> c :
          List.of(
              CheckpointingOptions.class,
              StateBackendOptions.class,
              HighAvailabilityOptions.class,
              JobManagerOptions.class,
              TaskManagerOptions.class,
              RestartStrategyOptions.class)) {
        for (Field f : c.getFields()) {
          if (Modifier.isStatic(f.getModifiers())
              && ConfigOption.class.isAssignableFrom(f.getType())) {
            try {
              keys.add(((ConfigOption<?>) f.get(null)).key());
            } catch (IllegalAccessException e) {
              throw new IllegalStateException(e);
            }
          }
        }
      }
      flinkKeysCache = keys;
    }
    return flinkKeysCache;
  }
}
