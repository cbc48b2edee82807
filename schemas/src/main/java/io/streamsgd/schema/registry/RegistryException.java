package io.streamsgd.schema.registry;

/**
 * A schema registry answered, and the answer means retrying cannot help: credentials refused, a
 * schema rejected as invalid or incompatible, a URL that is not a registry. The message says which.
 */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the registry answered with. */
  public int status() {
    return status;
  }
}
