package io.streamsgd.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the project version from the jar manifest, and the stack it runs on. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
      "streamsgd " + (version == null ? "(development build)" : version),
      "Flink "
          + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
          + ", Kafka "
          + org.apache.kafka.common.utils.AppInfoParser.getVersion()
          + ", Java "
          + System.getProperty("java.version")
    };
  }
}
