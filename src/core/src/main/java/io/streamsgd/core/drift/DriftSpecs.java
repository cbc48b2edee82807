package io.streamsgd.core.drift;

import io.streamsgd.schema.DriftReaction;
import io.streamsgd.schema.DriftSignalSource;
import io.streamsgd.schema.DriftSpec;
import io.streamsgd.schema.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A spec's {@link DriftSpec} made into a detector, and checked before it is used. */
public final class DriftSpecs {
  private DriftSpecs() {}

  /** The detector the spec asks for, in its initial state. */
  public static DriftDetector detector(DriftSpec spec) {
    return DriftDetectors.create(kind(spec), parameters(spec));
  }

  public static DriftDetectorKind kind(DriftSpec spec) {
    return DriftDetectorKind.valueOf(spec.getDetector().name());
  }

  /**
   * The parameters as the detectors take them: the Avro map holds numbers only, so Page-Hinkley's
   * mode is 1 (up), -1 (down) or 0 (both).
   */
  private static Map<String, Object> parameters(DriftSpec spec) {
    Map<String, Object> out = new LinkedHashMap<>();
    spec.getParameters().forEach((k, v) -> out.put(k.toString(), v));
    if (kind(spec) == DriftDetectorKind.PAGE_HINKLEY && out.containsKey("mode")) {
      double mode = ((Number) out.get("mode")).doubleValue();
      out.put("mode", mode == 1 ? "up" : mode == -1 ? "down" : mode == 0 ? "both" : "mode " + mode);
    }
    return out;
  }

  /** What is wrong with {@code spec} for a model of {@code task}; empty when nothing. */
  public static List<String> problems(DriftSpec spec, Task task) {
    List<String> p = new ArrayList<>();
    DriftDetectorKind kind = kind(spec);
    boolean classifier = task != Task.REGRESSION;
    if (spec.getSignal() == DriftSignalSource.ERROR && !classifier) {
      p.add("drift.signal ERROR needs a classifier (task BINARY or MULTICLASS)");
    }
    if (kind.binaryInput() && spec.getSignal() != DriftSignalSource.ERROR) {
      p.add("drift.detector " + spec.getDetector() + " watches 0/1 errors: set drift.signal ERROR");
    }
    if (spec.getReaction() == DriftReaction.BACKGROUND && !kind.warns()) {
      p.add(
          "drift.reaction BACKGROUND starts the background model at a warning, and "
              + spec.getDetector()
              + " never warns: use DDM or EDDM, or the reaction RESET");
    }
    try {
      detector(spec);
    } catch (IllegalArgumentException e) {
      p.add("drift.parameters: " + e.getMessage());
    }
    return p;
  }
}
