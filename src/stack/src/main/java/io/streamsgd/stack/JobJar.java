package io.streamsgd.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the shaded trainer jar is: given explicitly, else named by the system property the launcher
 * script and the image set, else by the environment variable.
 */
public final class JobJar {
  /** Set by {@code ./streamsgd}, the container image and the build's integration tests. */
  public static final String PROPERTY = "streamsgd.job.jar";

  public static final String ENV = "STREAMSGD_JOB_JAR";

  private JobJar() {}

  /**
   * The jar, or an {@link IllegalArgumentException} that says where it was looked for and how to
   * give it.
   *
   * @param explicit a path the user gave (may be null)
   * @param howToGive the option or setting that names the jar, for the message
   */
  public static Path locate(Path explicit, String howToGive) {
    Path p =
        Optional.ofNullable(explicit)
            .or(() -> Optional.ofNullable(System.getProperty(PROPERTY)).map(Path::of))
            .or(() -> Optional.ofNullable(System.getenv(ENV)).map(Path::of))
            .orElse(null);
    if (p == null || !Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "the shaded job jar was not found"
              + (p == null ? "" : " at " + p)
              + ": "
              + howToGive
              + " (build it with ./mvnw -DskipTests install, or run through ./streamsgd)");
    }
    return p;
  }
}
