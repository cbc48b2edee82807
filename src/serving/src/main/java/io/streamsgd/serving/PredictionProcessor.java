package io.streamsgd.serving;

import io.streamsgd.schema.Prediction;
import io.streamsgd.schema.PredictionRequest;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Answers each prediction request with the model version current when it arrives, read from the
 * model store of the same task (requests and models are co-partitioned by model id).
 */
final class PredictionProcessor
    implements FixedKeyProcessor<String, PredictionRequest, Prediction> {
  private final RequestScorer scorer;
  private final CurrentModels models;
  private FixedKeyProcessorContext<String, Prediction> context;
  private KeyValueStore<String, byte[]> store;

  PredictionProcessor(RequestScorer scorer, CurrentModels models) {
    this.scorer = scorer;
    this.models = models;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Prediction> context) {
    this.context = context;
    this.store = context.getStateStore(LatestModelTopology.STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, PredictionRequest> record) {
    PredictionRequest request = record.value();
    if (request == null) {
      return;
    }
    String modelId = record.key() != null ? record.key() : request.getModelId();
    context.forward(
        record.withValue(scorer.score(request, models.get(store, modelId).orElse(null))));
  }
}
