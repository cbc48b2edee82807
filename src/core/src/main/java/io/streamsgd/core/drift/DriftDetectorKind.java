package io.streamsgd.core.drift;

import java.util.Locale;

/**
 * The kinds of {@link DriftDetector}. Each has a name (River's, in snake case) and a one-byte code
 * written in a detector's state; neither may change once state has been written with them.
 */
public enum DriftDetectorKind {
  ADWIN("adwin", 1),
  PAGE_HINKLEY("page_hinkley", 2),
  DDM("ddm", 3),
  EDDM("eddm", 4);

  private final String id;
  private final int code;

  DriftDetectorKind(String id, int code) {
    this.id = id;
    this.code = code;
  }

  /** The kind's name: adwin, page_hinkley, ddm or eddm. */
  public String id() {
    return id;
  }

  /** The byte that stands for this kind in written state. */
  int code() {
    return code;
  }

  /**
   * Whether the detector reads 0/1 errors only (DDM, EDDM) rather than any finite value (ADWIN,
   * Page-Hinkley).
   */
  public boolean binaryInput() {
    return this == DDM || this == EDDM;
  }

  /** Whether the detector warns before it signals a drift (DDM, EDDM). */
  public boolean warns() {
    return binaryInput();
  }

  /** The kind named {@code id} (case-insensitive; page-hinkley is taken for page_hinkley). */
  public static DriftDetectorKind of(String id) {
    String key = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (DriftDetectorKind k : values()) {
      if (k.id.equals(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown drift detector '" + id + "': expected adwin, page_hinkley, ddm or eddm");
  }

  static DriftDetectorKind ofCode(int code) {
    for (DriftDetectorKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
