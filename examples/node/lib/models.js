'use strict';
// Following streamsgd's models topic and scoring with its models, as the Java core does.
// - Feature hashing: MurmurHash3 x86 32-bit of the name's UTF-8 bytes, seed 0; the bucket is the
//   hash's lowest hashBits bits; no sign; names that share a bucket add their values.
// - Scores: z_j = intercepts[j] + sum over the features, in their order, of w_j[index] * value.
// - Versions: a record with chunk null is a whole version; chunks of one version (same version,
//   publishedAt and count) make it once all have arrived; a model keeps its highest complete one.
// - Specs: a version whose spec is null names it by specFingerprint; the trainer writes each spec
//   once, as a PublishedSpec, to the published-specs topic (the models topic's name +
//   '-published-specs'), before the first version that uses it. The two topics are read side by
//   side, so either record may come first: a complete version waits for its spec as a chunk waits
//   for the others. A version that carries its spec (older trainers, or one set to EVERY_UPDATE)
//   needs none.

const MAX_WAITING_VERSIONS = 4;

/** MurmurHash3 x86 32-bit (Appleby) of bytes, as an unsigned 32-bit integer. */
function murmur3x86(bytes, seed = 0) {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const mix = (k) => Math.imul(((k = Math.imul(k, c1)) << 15) | (k >>> 17), c2);
  let h = seed | 0;
  const full = bytes.length - (bytes.length % 4);
  for (let i = 0; i < full; i += 4) {
    h ^= mix(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let i = bytes.length - 1; i >= full; i--) {
    k = (k << 8) | bytes[i];
  }
  if (bytes.length > full) h ^= mix(k);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The 32-bit hash streamsgd gives a feature name. */
function featureHash(name) {
  return murmur3x86(Buffer.from(name, 'utf8'), 0);
}

/**
 * Named features as {indices, values} over 2^hashBits buckets, in increasing bucket order; names
 * that share a bucket add up, in the order given (as the trainer folds them).
 */
function fold(names, values, hashBits) {
  if (names.length !== values.length) throw new Error(`${names.length} names but ${values.length} values`);
  const mask = hashBits >= 32 ? 0xffffffff : 2 ** hashBits - 1;
  const buckets = names.map((name) => (featureHash(name) & mask) >>> 0);
  const order = names.map((_, i) => i).sort((a, b) => buckets[a] - buckets[b] || a - b);
  const indices = [];
  const folded = [];
  for (const i of order) {
    if (indices.length > 0 && indices[indices.length - 1] === buckets[i]) {
      folded[folded.length - 1] += values[i];
    } else {
      indices.push(buckets[i]);
      folded.push(values[i]);
    }
  }
  return { indices, values: folded };
}

function sigmoid(z) {
  if (z >= 0) return 1.0 / (1.0 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1.0 + e);
}

const identity = (z) => z;
const LINKS = {
  SQUARED: identity,
  HUBER: identity,
  EPSILON_INSENSITIVE: identity,
  HINGE: identity,
  LOGISTIC: sigmoid,
  MODIFIED_HUBER: (z) => (Math.max(-1.0, Math.min(1.0, z)) + 1.0) / 2.0,
};

/** One complete published version, ready to score. */
class Model {
  constructor(update) {
    this.update = update;
    this.spec = update.spec;
    const p = update.parameters;
    this.outputs = p.outputs;
    this.dimension = p.dimension;
    this.weights = p.weights;
    this.intercepts = p.intercepts;
    // sparse: feature index -> position among the stored columns
    this.position = p.columns === null ? null : new Map(p.columns.map((c, k) => [c, k]));
    this.width = p.columns === null ? p.dimension : p.columns.length;
  }

  get modelId() {
    return this.update.modelId;
  }

  get version() {
    return this.update.version;
  }

  /** {indices (null: dense), values} of {values}, {indices, values} or {names, values}. */
  indexed(features) {
    const values = features.values.map(Number);
    if (features.names) {
      const bits = this.spec.hashBits;
      if (bits <= 0) throw new Error('named features need a model with hashBits > 0');
      return fold(features.names, values, bits);
    }
    if (features.indices) {
      if (features.indices.length !== values.length) {
        throw new Error(`${features.indices.length} indices but ${values.length} values`);
      }
      for (const i of features.indices) {
        if (i < 0 || i >= this.dimension) throw new Error(`feature index ${i} outside [0, ${this.dimension})`);
      }
      return { indices: features.indices, values };
    }
    if (values.length !== this.dimension) {
      throw new Error(`model expects ${this.dimension} features, got ${values.length}`);
    }
    return { indices: null, values };
  }

  scores(features) {
    const { indices, values } = this.indexed(features);
    const z = [];
    for (let j = 0; j < this.outputs; j++) {
      const row = j * this.width;
      let s = 0.0;
      for (let e = 0; e < values.length; e++) {
        const i = indices === null ? e : indices[e];
        let w;
        if (this.position === null) {
          w = this.weights[row + i];
        } else {
          const k = this.position.get(i);
          w = k === undefined ? 0.0 : this.weights[row + k];
        }
        s += w * values[e];
      }
      z.push(this.intercepts[j] + s);
    }
    return z;
  }

  /** {score, value, predictedClass, probabilities} as the Java core's predict. */
  predict(features) {
    const z = this.scores(features);
    const loss = this.spec.loss;
    if (loss === 'SOFTMAX') {
      let top = z[0];
      for (const v of z) top = Math.max(top, v);
      const p = z.map((v) => Math.exp(v - top));
      let total = 0.0;
      for (const v of p) total += v;
      for (let j = 0; j < p.length; j++) p[j] /= total;
      let best = 0;
      for (let j = 1; j < z.length; j++) if (z[j] > z[best]) best = j;
      return { score: z[best], value: p[best], predictedClass: best, probabilities: p };
    }
    if (!(loss in LINKS)) throw new Error(`unknown loss ${loss}`);
    return {
      score: z[0],
      value: LINKS[loss](z[0]),
      predictedClass: this.spec.task === 'REGRESSION' ? -1 : z[0] >= 0.0 ? 1 : 0,
      probabilities: null,
    };
  }
}

/** The chunks of one version, by index, as one sparse update with chunk null. */
function merge(chunks) {
  const first = chunks[0];
  const columns = chunks.flatMap((c) => c.parameters.columns);
  const weights = [];
  for (let j = 0; j < first.parameters.outputs; j++) {
    for (const c of chunks) {
      const n = c.parameters.columns.length;
      for (let k = j * n; k < (j + 1) * n; k++) weights.push(c.parameters.weights[k]);
    }
  }
  for (let c = 1; c < columns.length; c++) {
    if (columns[c] <= columns[c - 1]) {
      throw new Error(`chunks of ${first.modelId} v${first.version} do not fit together`);
    }
  }
  return { ...first, parameters: { ...first.parameters, columns, weights }, chunk: null };
}

/**
 * Takes ModelUpdate records (offer) and PublishedSpec records (offerSpec) in arrival order,
 * interleaved as they come (duplicates, late chunks, tombstones too), and hands on a version only
 * when all of it and its spec are there and it is newer than the model's last one.
 */
class VersionAssembler {
  constructor() {
    this.complete = new Map(); // model id -> Model
    // "id\0version\0publishedAt\0count" -> {modelId, version, count, parts}; a whole version
    // waiting for its spec is held as count 1, so it is dropped and completed as chunks are
    this.waiting = new Map();
    // model id -> Map of specFingerprint -> PublishedSpec (a fingerprint beyond 2^53 is a BigInt,
    // which a Map compares by value)
    this.specs = new Map();
  }

  version(modelId) {
    const model = this.complete.get(modelId);
    return model === undefined ? 0 : model.version;
  }

  /** The held versions of modelId, oldest first. */
  waitingOf(modelId) {
    return [...this.waiting.entries()]
      .filter(([, w]) => w.modelId === modelId)
      .sort(([ka, a], [kb, b]) => a.version - b.version || (ka < kb ? -1 : 1));
  }

  /** The Model the update completes, or null. */
  offer(update) {
    if (update === null) return null; // a tombstone of a chunk key a newer version no longer uses
    const { modelId, version, chunk } = update;
    if (version <= this.version(modelId)) return null; // stale or duplicate
    const index = chunk === null ? 0 : chunk.index;
    const count = chunk === null ? 1 : chunk.count;
    if (chunk !== null && (count < 2 || index < 0 || index >= count)) {
      throw new Error(`not a chunk of a version: ${JSON.stringify(chunk)}`);
    }
    const key = [modelId, version, update.publishedAt, count].join('\0');
    if (!this.waiting.has(key)) this.waiting.set(key, { modelId, version, count, parts: new Map() });
    const { parts } = this.waiting.get(key);
    parts.set(index, update);
    if (parts.size === count) {
      const model = this.tryComplete(key);
      if (model !== null) return model;
    }
    // incomplete, or waiting for its spec: keep the newest few versions only
    const mine = this.waitingOf(modelId);
    mine.slice(0, Math.max(0, mine.length - MAX_WAITING_VERSIONS)).forEach(([k]) => this.waiting.delete(k));
    return null;
  }

  /**
   * Holds a PublishedSpec; returns the Model of the newest version that had all its records and
   * waited for this spec, or null.
   */
  offerSpec(published) {
    if (published === null) return null;
    const { modelId, specFingerprint } = published;
    if (!this.specs.has(modelId)) this.specs.set(modelId, new Map());
    // One spec per fingerprint: the record with the later fromVersion stays (a spec changed back
    // is needed from its later publication on).
    const held = this.specs.get(modelId).get(specFingerprint);
    if (held === undefined || held.fromVersion < published.fromVersion) {
      this.specs.get(modelId).set(specFingerprint, published);
    }
    for (const [key, w] of this.waitingOf(modelId).reverse()) {
      if (w.parts.size === w.count && w.parts.get(0).specFingerprint === specFingerprint) {
        return this.tryComplete(key);
      }
    }
    return null;
  }

  /**
   * The Model of the held version key, whose records are all there, once its spec is known; else
   * null (it stays held).
   */
  tryComplete(key) {
    const { modelId, count, parts } = this.waiting.get(key);
    let update;
    try {
      update = count === 1 ? parts.get(0) : merge([...Array(count).keys()].map((i) => parts.get(i)));
    } catch (e) {
      this.waiting.delete(key); // chunks that do not fit together never will
      throw e;
    }
    if (update.spec === null) {
      const specs = this.specs.get(modelId);
      const published = specs === undefined ? undefined : specs.get(update.specFingerprint);
      if (published === undefined) return null; // all there, waiting for its spec
      // Specs first used up to this version are no longer needed, but its own: a newer version
      // names another only after a later publication of it.
      for (const [fingerprint, s] of [...specs]) {
        if (s.fromVersion <= update.version && fingerprint !== update.specFingerprint) {
          specs.delete(fingerprint);
        }
      }
      update = { ...update, spec: published.spec };
    }
    return this.use(update);
  }

  use(update) {
    const model = new Model(update);
    this.complete.set(model.modelId, model);
    for (const [k, w] of [...this.waiting.entries()]) {
      if (w.modelId === model.modelId && w.version <= model.version) this.waiting.delete(k);
    }
    return model;
  }
}

module.exports = { murmur3x86, featureHash, fold, Model, merge, VersionAssembler };
