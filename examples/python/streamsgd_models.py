"""Following streamsgd's models topic and scoring with its models, as the Java core does.

- Feature hashing: MurmurHash3 x86 32-bit of the name's UTF-8 bytes, seed 0; the bucket is the
  hash's lowest hashBits bits; no sign; names that share a bucket add their values.
- Scores: z_j = intercepts[j] + sum over the features, in their order, of w_j[index] * value.
- Versions: a record with chunk null is a whole version; chunks of one version (same version,
  publishedAt and count) make it once all have arrived; a model keeps its highest complete version.
- Specs: a version whose spec is null names it by specFingerprint; the trainer writes each spec
  once, as a PublishedSpec, to the published-specs topic (the models topic's name +
  "-published-specs"), before the first version that uses it. The two topics are read side by side,
  so either record may come first: a complete version waits for its spec as a chunk waits for the
  others. A version that carries its spec (older trainers, or one set to EVERY_UPDATE) needs none.
"""

import math
import struct

MAX_WAITING_VERSIONS = 4


def murmur3_32(data, seed=0):
    """MurmurHash3 x86 32-bit (Appleby) of bytes, as an unsigned 32-bit integer."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    full = len(data) - len(data) % 4
    for (k,) in struct.iter_unpack("<I", data[:full]):
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    tail = data[full:]
    k = 0
    for i, b in enumerate(tail):
        k |= b << (8 * i)
    if tail:
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h


def feature_hash(name):
    """The 32-bit hash streamsgd gives a feature name."""
    return murmur3_32(name.encode("utf-8"), 0)


def fold(names, values, hash_bits):
    """Named features as (indices, values) over 2^hash_bits buckets, in increasing bucket order;
    names that share a bucket add up, in the order given (as the trainer folds them)."""
    if len(names) != len(values):
        raise ValueError(f"{len(names)} names but {len(values)} values")
    mask = (1 << hash_bits) - 1
    order = sorted(range(len(names)), key=lambda i: (feature_hash(names[i]) & mask, i))
    indices, folded = [], []
    for i in order:
        bucket = feature_hash(names[i]) & mask
        if indices and indices[-1] == bucket:
            folded[-1] += values[i]
        else:
            indices.append(bucket)
            folded.append(values[i])
    return indices, folded


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _links():
    identity = lambda z: z  # noqa: E731
    return {
        "SQUARED": identity,
        "HUBER": identity,
        "EPSILON_INSENSITIVE": identity,
        "HINGE": identity,
        "LOGISTIC": _sigmoid,
        "MODIFIED_HUBER": lambda z: (max(-1.0, min(1.0, z)) + 1.0) / 2.0,
    }


LINKS = _links()


class Model:
    """One complete published version, ready to score."""

    def __init__(self, update):
        self.update = update
        self.spec = update["spec"]
        p = update["parameters"]
        self.outputs = p["outputs"]
        self.dimension = p["dimension"]
        self.weights = p["weights"]
        self.intercepts = p["intercepts"]
        columns = p["columns"]
        # sparse: feature index -> position among the stored columns
        self.position = None if columns is None else {c: k for k, c in enumerate(columns)}
        self.width = self.dimension if columns is None else len(columns)

    @property
    def model_id(self):
        return self.update["modelId"]

    @property
    def version(self):
        return self.update["version"]

    def _indexed(self, features):
        """(indices or None for dense, values) of a features object: {"values"}, {"indices",
        "values"} or {"names", "values"}."""
        values = [float(v) for v in features["values"]]
        if "names" in features:
            bits = self.spec["hashBits"]
            if bits <= 0:
                raise ValueError("named features need a model with hashBits > 0")
            return fold(features["names"], values, bits)
        if "indices" in features:
            indices = features["indices"]
            if len(indices) != len(values):
                raise ValueError(f"{len(indices)} indices but {len(values)} values")
            for i in indices:
                if i < 0 or i >= self.dimension:
                    raise ValueError(f"feature index {i} outside [0, {self.dimension})")
            return indices, values
        if len(values) != self.dimension:
            raise ValueError(f"model expects {self.dimension} features, got {len(values)}")
        return None, values

    def scores(self, features):
        indices, values = self._indexed(features)
        if indices is None:
            indices = range(len(values))
        z = []
        for j in range(self.outputs):
            row = j * self.width
            s = 0.0
            for i, v in zip(indices, values):
                if self.position is None:
                    w = self.weights[row + i]
                else:
                    k = self.position.get(i)
                    w = 0.0 if k is None else self.weights[row + k]
                s += w * v
            z.append(self.intercepts[j] + s)
        return z

    def predict(self, features):
        """{"score", "value", "predictedClass", "probabilities"} as the Java core's predict."""
        z = self.scores(features)
        loss = self.spec["loss"]
        if loss == "SOFTMAX":
            top = z[0]
            for v in z[1:]:
                top = max(top, v)
            p = [math.exp(v - top) for v in z]
            total = 0.0
            for v in p:
                total += v
            p = [v / total for v in p]
            best = 0
            for j in range(1, len(z)):
                if z[j] > z[best]:
                    best = j
            return {"score": z[best], "value": p[best], "predictedClass": best, "probabilities": p}
        if loss not in LINKS:
            raise ValueError(f"unknown loss {loss}")
        regression = self.spec["task"] == "REGRESSION"
        return {
            "score": z[0],
            "value": LINKS[loss](z[0]),
            "predictedClass": -1 if regression else (1 if z[0] >= 0.0 else 0),
            "probabilities": None,
        }


def merge(chunks):
    """The chunks of one version, by index, as one sparse update with chunk null."""
    first = chunks[0]
    outputs = first["parameters"]["outputs"]
    columns, weights = [], []
    for chunk in chunks:
        columns.extend(chunk["parameters"]["columns"])
    for j in range(outputs):
        for chunk in chunks:
            n = len(chunk["parameters"]["columns"])
            weights.extend(chunk["parameters"]["weights"][j * n : (j + 1) * n])
    for a, b in zip(columns, columns[1:]):
        if b <= a:
            raise ValueError(f"chunks of {first['modelId']} v{first['version']} do not fit together")
    parameters = dict(first["parameters"], columns=columns, weights=weights)
    return dict(first, parameters=parameters, chunk=None)


class VersionAssembler:
    """Takes ModelUpdate records (offer) and PublishedSpec records (offer_spec) in arrival order,
    interleaved as they come (duplicates, late chunks, tombstones too), and hands on a version only
    when all of it and its spec are there and it is newer than the model's last one."""

    def __init__(self):
        self.complete = {}  # model id -> Model
        # (model id, version, publishedAt, count) -> {index: update}; a whole version waiting for
        # its spec is held as count 1, so it is dropped and completed as chunks are
        self.waiting = {}
        self.specs = {}  # model id -> {specFingerprint: PublishedSpec}

    def version(self, model_id):
        model = self.complete.get(model_id)
        return 0 if model is None else model.version

    def offer(self, update):
        """Returns the Model the update completes, or None."""
        if update is None:  # a tombstone of a chunk key a newer version no longer uses
            return None
        model_id = update["modelId"]
        if update["version"] <= self.version(model_id):
            return None  # stale or duplicate
        chunk = update["chunk"]
        if chunk is None:
            index, count = 0, 1
        else:
            index, count = chunk["index"], chunk["count"]
            if count < 2 or not 0 <= index < count:
                raise ValueError(f"not a chunk of a version: {chunk}")
        key = (model_id, update["version"], update["publishedAt"], count)
        parts = self.waiting.setdefault(key, {})
        parts[index] = update
        if len(parts) == count:
            model = self._try_complete(key)
            if model is not None:
                return model
        # incomplete, or waiting for its spec: keep the newest few versions only
        mine = sorted(k for k in self.waiting if k[0] == model_id)
        for k in mine[: max(0, len(mine) - MAX_WAITING_VERSIONS)]:
            del self.waiting[k]
        return None

    def offer_spec(self, published):
        """Holds a PublishedSpec; returns the Model of the newest version that had all its records
        and waited for this spec, or None."""
        if published is None:
            return None
        model_id = published["modelId"]
        # one spec per fingerprint: the record with the later fromVersion stays (a spec changed
        # back is needed from its later publication on)
        specs = self.specs.setdefault(model_id, {})
        held = specs.get(published["specFingerprint"])
        if held is None or held["fromVersion"] < published["fromVersion"]:
            specs[published["specFingerprint"]] = published
        for key in sorted((k for k in self.waiting if k[0] == model_id), reverse=True):
            parts = self.waiting[key]
            if len(parts) == key[3] and parts[0]["specFingerprint"] == published["specFingerprint"]:
                return self._try_complete(key)
        return None

    def _try_complete(self, key):
        """The Model of the held version key, whose records are all there, once its spec is
        known; else None (it stays held)."""
        parts = self.waiting[key]
        try:
            update = parts[0] if key[3] == 1 else merge([parts[i] for i in range(key[3])])
        except ValueError:
            del self.waiting[key]  # chunks that do not fit together never will
            raise
        spec = update["spec"]
        if spec is None:
            published = self.specs.get(key[0], {}).get(update["specFingerprint"])
            if published is None:
                return None  # all there, waiting for its spec
            # specs first used up to this version are no longer needed, but its own: a newer
            # version names another only after a later publication of it
            self.specs[key[0]] = {
                fp: s
                for fp, s in self.specs[key[0]].items()
                if s["fromVersion"] > update["version"] or fp == update["specFingerprint"]
            }
            update = dict(update, spec=published["spec"])
        return self._use(update)

    def _use(self, update):
        model = Model(update)
        self.complete[model.model_id] = model
        for k in [k for k in self.waiting if k[0] == model.model_id and k[1] <= model.version]:
            del self.waiting[k]
        return model
