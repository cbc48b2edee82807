package io.streamsgd.cli.demo;

import io.streamsgd.schema.ModelSpec;

/** One model the demo trains: its spec and the example its samples come from. */
public record DemoModel(ModelSpec spec, SeedExample example) {
  public String id() {
    return spec.getModelId();
  }
}
