package io.streamsgd.schema.registry;

import java.io.IOException;

/**
 * The registry could not be asked or could not answer now (connection refused, timeout, a 5xx or
 * 429): asking again later may succeed.
 */
public final class RegistryUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
