package io.streamsgd.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The directions of the design's arrows, as failing tests: the learning core knows nothing of Flink
 * or Kafka (so trainer and serving share one {@code predict}), nothing but the CLI's own commands
 * import the CLI, and no benchmark reaches the job. Rules are frozen against the stored baseline in
 * {@code src/test/resources/archunit-violations} (empty: a new violation fails, none is accepted).
 * The classes checked are every module's production classes on this module's test class path.
 */
@AnalyzeClasses(
    packages = "io.streamsgd",
    importOptions = {ArchitectureTest.ProductionClasses.class})
class ArchitectureTest {

  /** Leaves out test classes, whether in a test-classes folder or a test jar. */
  static final class ProductionClasses implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/") && !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule coreKnowsNothingOfFlinkKafkaOrTheModulesAboveIt =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideInAPackage("io.streamsgd.core..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(
                  "org.apache.flink..",
                  "org.apache.kafka..",
                  "io.streamsgd.job..",
                  "io.streamsgd.serving..",
                  "io.streamsgd.cli..",
                  "io.streamsgd.bench..",
                  "io.streamsgd.stack..",
                  "io.streamsgd.input..")
              .as("the learning core knows nothing of Flink, Kafka or the modules above it"));

  @ArchTest
  static final ArchRule schemasAreTheBottomOfEverything =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideInAPackage("io.streamsgd.schema..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(
                  "io.streamsgd.core..",
                  "io.streamsgd.job..",
                  "io.streamsgd.serving..",
                  "io.streamsgd.cli..",
                  "org.apache.flink..",
                  "org.apache.kafka..")
              .as("the schemas (the published contract) depend on Avro alone"));

  @ArchTest
  static final ArchRule servingNeverImportsTheJobOrTheCli =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideInAPackage("io.streamsgd.serving..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage("io.streamsgd.job..", "io.streamsgd.cli..", "org.apache.flink..")
              .as("serving scores with the core, never with the trainer or the CLI"));

  @ArchTest
  static final ArchRule nothingImportsTheCli =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideOutsideOfPackage("io.streamsgd.cli..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("io.streamsgd.cli..")
              .as("the CLI only calls the modules; no module calls the CLI"));

  @ArchTest
  static final ArchRule theJobHoldsNoBenchmarkOrToolCode =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideInAPackage("io.streamsgd.job..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(
                  "io.streamsgd.bench..",
                  "io.streamsgd.input..",
                  "io.streamsgd.stack..",
                  "io.streamsgd.embedded..",
                  "io.streamsgd.cluster..",
                  "io.streamsgd.serving..",
                  "io.streamsgd.cli..",
                  "org.openjdk.jmh..",
                  "vowpalWabbit..")
              .as("the job jar holds the trainer and what it runs on, nothing else"));

  @ArchTest
  static final ArchRule inputFormatsStayOutOfFlink =
      FreezingArchRule.freeze(
          noClasses()
              .that()
              .resideInAPackage("io.streamsgd.input..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage("org.apache.flink..", "io.streamsgd.job..", "io.streamsgd.cli..")
              .as("input formats and producers know nothing of Flink or the trainer"));
}
