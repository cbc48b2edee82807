package io.streamsgd.job.config;

/** Where the trainer's keyed state lives. */
public enum StateBackendKind {
  /** On the JVM heap, snapshotted to the checkpoint storage: fastest; state must fit in memory. */
  HASHMAP,
  /** In RocksDB on local disk, with incremental checkpoints: for many models or large ones. */
  ROCKSDB
}
