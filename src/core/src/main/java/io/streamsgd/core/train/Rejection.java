package io.streamsgd.core.train;

import io.streamsgd.schema.DeadLetterReason;

/** Why a sample cannot be trained on: a machine-readable reason and a sentence for people. */
public record Rejection(DeadLetterReason reason, String detail) {}
