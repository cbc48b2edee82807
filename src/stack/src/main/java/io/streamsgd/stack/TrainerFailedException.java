package io.streamsgd.stack;

/**
 * The trainer job failed for good (its restarts used up): carries the root cause's one-line
 * description, which is what a user needs to act on (a record the sink cannot write, a broker that
 * is gone, a spec that cannot work).
 */
public final class TrainerFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainerFailedException(Throwable failure) {
    super("the trainer job failed: " + rootCause(failure), failure);
  }

  /** The innermost cause as {@code SimpleName: message}. */
  static String rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
