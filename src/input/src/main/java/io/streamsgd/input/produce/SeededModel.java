package io.streamsgd.input.produce;

import io.streamsgd.schema.ModelSpec;

/** A model fed from a seed example: its spec and the example its samples come from. */
public record SeededModel(ModelSpec spec, SeedExample example) {
  public String id() {
    return spec.getModelId();
  }
}
