package io.streamsgd.job.source;

import io.streamsgd.schema.registry.RegistryConfig;
import java.io.Serializable;

/**
 * How the job reads samples, wherever it decodes them (before the shuffle or in the trainer).
 *
 * @param maxRecordBytes larger records are OVERSIZED
 * @param maxFeatures samples with more features are OVERSIZED
 * @param registry where Confluent-framed samples' writer schemas are looked up; null: no registry
 */
public record SampleFormat(int maxRecordBytes, int maxFeatures, RegistryConfig registry)
    implements Serializable {}
