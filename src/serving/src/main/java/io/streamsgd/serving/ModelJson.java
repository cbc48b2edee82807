package io.streamsgd.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsgd.core.avro.ModelSpecJson;
import io.streamsgd.core.model.ModelOutput;
import io.streamsgd.schema.DriftStatus;
import io.streamsgd.schema.ModelUpdate;
import io.streamsgd.schema.PrequentialMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the HTTP API. */
final class ModelJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelJson() {}

  /** A model in the list of {@code GET /models}. */
  static Map<String, Object> summary(ModelUpdate u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelId", u.getModelId());
    m.put("version", u.getVersion());
    m.put("lineage", u.getLineage());
    m.put("samplesSeen", u.getSamplesSeen());
    m.put("task", u.getSpec().getTask().name());
    m.put("prequentialLoss", finite(u.getMetrics().getMeanLoss()));
    m.put("fadedLoss", finite(u.getMetrics().getFadedLoss()));
    m.put("publishedAt", u.getPublishedAt().toEpochMilli());
    return m;
  }

  /** A whole model, for {@code GET /models/{id}}. */
  static Map<String, Object> full(ModelUpdate u) {
    Map<String, Object> m = summary(u);
    m.put("spec", spec(u));
    m.put("specFingerprint", u.getSpecFingerprint());
    m.put("batchSize", u.getBatchSize());
    m.put("closeReason", u.getCloseReason().name());
    m.put("nextBatchTarget", u.getNextBatchTarget());
    m.put("applied", u.getApplied());
    m.put("rejectedBatches", u.getRejectedBatches());
    m.put("learningRateScale", u.getLearningRateScale());
    m.put("lineageStartVersion", u.getLineageStartVersion());
    DriftStatus d = u.getDrift();
    if (d != null) {
      Map<String, Object> drift = new LinkedHashMap<>();
      drift.put("detector", d.getDetector().name());
      drift.put("reaction", d.getReaction().name());
      drift.put("warning", d.getWarning());
      drift.put("warnings", d.getWarnings());
      drift.put("drifts", d.getDrifts());
      drift.put("lastDriftSample", d.getLastDriftSample());
      drift.put("backgroundSamples", d.getBackgroundSamples());
      m.put("drift", drift); // absent: no drift detection
    }
    PrequentialMetrics p = u.getMetrics();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("count", p.getCount());
    metrics.put("meanLoss", finite(p.getMeanLoss()));
    metrics.put("accuracy", finite(p.getAccuracy()));
    metrics.put("rmse", finite(p.getRmse()));
    metrics.put("mae", finite(p.getMae()));
    metrics.put("fadedLoss", finite(p.getFadedLoss()));
    metrics.put("fadedAccuracy", finite(p.getFadedAccuracy()));
    m.put("metrics", metrics);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("outputs", u.getParameters().getOutputs());
    params.put("dimension", u.getParameters().getDimension());
    params.put("weights", u.getParameters().getWeights());
    if (u.getParameters().getColumns() != null) {
      params.put("columns", u.getParameters().getColumns()); // sparse: the weights' feature indices
    }
    params.put("intercepts", u.getParameters().getIntercepts());
    if (u.getParameters().getColumns() != null) {
      params.put("columns", u.getParameters().getColumns()); // sparse: weights of these only
    }
    m.put("parameters", params);
    return m;
  }

  private static JsonNode spec(ModelUpdate u) {
    try {
      return MAPPER.readTree(ModelSpecJson.toJson(u.getSpec()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer of {@code POST /models/{id}/predict}. */
  static Map<String, Object> prediction(String modelId, long version, ModelOutput p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelId", modelId);
    m.put("version", version);
    m.put("score", p.score());
    m.put("value", p.value());
    m.put("predictedClass", p.predictedClass());
    if (p.probabilities() != null) {
      m.put("probabilities", p.probabilities());
    }
    return m;
  }

  /**
   * JSON has no NaN or infinity: a metric that is not defined yet (no sample seen, or accuracy of a
   * regression model) is written as null instead of a string a client would have to know.
   */
  private static Double finite(Double v) {
    return v != null && Double.isFinite(v) ? v : null;
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message);
  }
}
