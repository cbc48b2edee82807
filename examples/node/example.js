#!/usr/bin/env node
'use strict';
// streamsgd from Node, with no JVM code: give models their specs, stream them samples, then follow
// the models topic and score with the latest version of each model.
//
//   node example.js produce --bootstrap-servers HOST:PORT [--prefix node] [--samples 200]
//       [--framing single-object|confluent] [--registry-url URL]
//   node example.js score --bootstrap-servers HOST:PORT [--framing single-object|confluent]
//       [--registry-url URL] < requests.jsonl
//
// `produce` writes three models' specs and samples, keyed by model id, and prints one JSON line
// per model: {"modelId", "samples", "batchSize", "finalVersion"}.
//   PREFIX-dense    regression (squared loss) on 3 dense features
//   PREFIX-hashed   binary classification (logistic loss) on named features hashed into 2^16
//   PREFIX-classes  3-class softmax on sparse features of dimension 8
//
// `score` reads the models topic and its published-specs topic (MODELS_TOPIC-published-specs,
// where the trainer writes each model's spec once instead of in every version) to their ends,
// read_committed, keeps the highest complete version of each model with its spec, then answers
// each line of standard input, {"modelId": ..., "features": F} with F one of {"values": [...]},
// {"indices": [...], "values": [...]} or {"names": [...], "values": [...]}, with one line
// {"modelId", "version", "score", "value", "predictedClass", "probabilities"} (or
// {"modelId", "error"}).
//
// Framings (lib/framing.js): `produce --framing single-object` (the default) writes Avro
// single-object encoding; `--framing confluent` writes the Confluent wire format, registers the
// schemas under SPECS_TOPIC-value and SAMPLES_TOPIC-value in the schema registry at --registry-url
// (its Confluent-compatible API, e.g. http://HOST:PORT/apis/ccompat/v7), and writes the samples
// with an evolved TrainingSample schema: one field more, "producer", which the trainer skips.
// `score` reads both framings, record by record; Confluent-framed models and specs need
// --registry-url (with `--framing confluent` it is required up front).

const crypto = require('crypto');
const readline = require('readline');
const { parseArgs } = require('util');
const { Kafka, logLevel } = require('kafkajs');
require('./lib/lz4').register();
const { NAMESPACE, DEFAULT_SCHEMA_DIR } = require('./lib/avro');
const { SINGLE_OBJECT, CONFLUENT, FRAMINGS, MODEL_SPEC, TRAINING_SAMPLE, Codecs } = require('./lib/framing');
const { VersionAssembler } = require('./lib/models');

const BATCH = 10;
const START = Date.UTC(2026, 0, 1);
// In the Confluent wire format the samples' writer schema is TrainingSample with this field more:
// the trainer resolves it against its own schema and skips the field, so a producer may evolve its
// schema compatibly. (In single-object encoding the trainer would refuse an unknown fingerprint.)
const PRODUCER_FIELD = { name: 'producer', type: 'string', default: '' };

/** A seeded generator (mulberry32): the same samples on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** k distinct integers of [0, n), in the order drawn. */
function pick(rng, n, k) {
  const out = new Set();
  while (out.size < k) out.add(Math.floor(rng() * n));
  return [...out];
}

function specs(prefix) {
  const spec = (modelId, task, loss, featureDimension, learningRate, more = {}) => ({
    modelId,
    task,
    loss,
    featureDimension,
    optimizer: { kind: 'SGD', learningRate },
    regularization: {},
    batch: { kind: 'FIXED', size: BATCH },
    ...more,
  });
  return [
    spec(`${prefix}-dense`, 'REGRESSION', 'SQUARED', 3, 0.1),
    spec(`${prefix}-hashed`, 'BINARY', 'LOGISTIC', 1 << 16, 0.5, { hashBits: 16 }),
    spec(`${prefix}-classes`, 'MULTICLASS', 'SOFTMAX', 8, 0.5, { numClasses: 3 }),
  ];
}

/** n samples for one of the specs above. Features are a wrapped union in avsc: {full name: value}. */
function* samples(spec, n, rng) {
  for (let i = 0; i < n; i++) {
    let features;
    let label;
    if (spec.task === 'REGRESSION') {
      const x = [rng(), rng(), rng()];
      features = { [`${NAMESPACE}.DenseFeatures`]: { values: x } };
      label = 1.0 + 2.0 * x[0] - x[1] + 0.5 * x[2] + 0.1 * rng();
    } else if (spec.task === 'BINARY') {
      const picked = pick(rng, 5000, 20);
      const names = picked.map((k) => `f${k}`).concat(i % 2 ? 'city=Zürich' : 'city=Malmö');
      features = { [`${NAMESPACE}.NamedFeatures`]: { names, values: names.map(() => 1.0) } };
      label = picked.reduce((s, k) => s + (k % 3) - 1, 0) + (i % 2) > 0 ? 1.0 : 0.0;
    } else {
      const indices = pick(rng, 8, 3).sort((a, b) => a - b);
      features = { [`${NAMESPACE}.SparseFeatures`]: { indices, values: indices.map(() => rng()) } };
      label = indices[0] % 3;
    }
    yield { modelId: spec.modelId, features, label, eventTime: START + 10 * i };
  }
}

async function produce(args, kafka, codecs) {
  const specWriter = await codecs.writer(args.framing, MODEL_SPEC, args['specs-topic']);
  const confluent = args.framing === CONFLUENT;
  const sampleWriter = confluent
    ? await codecs.writer(CONFLUENT, TRAINING_SAMPLE, args['samples-topic'], [PRODUCER_FIELD])
    : await codecs.writer(SINGLE_OBJECT, TRAINING_SAMPLE, args['samples-topic']);
  const evolved = confluent ? { producer: 'node' } : {};
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const rng = random(Number(args.seed));
  const summary = [];
  try {
    for (const spec of specs(args.prefix)) {
      const key = spec.modelId;
      // The spec first: the trainer holds a model's samples until its spec arrives anyway.
      await producer.send({ topic: args['specs-topic'], messages: [{ key, value: specWriter.encode(spec) }] });
      const messages = [];
      for (const sample of samples(spec, Number(args.samples), rng)) {
        const value = sampleWriter.encode({ ...sample, ...evolved });
        messages.push({ key, value, timestamp: String(sample.eventTime) });
      }
      await producer.send({ topic: args['samples-topic'], messages });
      summary.push({
        modelId: spec.modelId,
        samples: Number(args.samples),
        batchSize: BATCH,
        finalVersion: Math.floor(Number(args.samples) / BATCH),
      });
    }
  } finally {
    await producer.disconnect();
  }
  summary.forEach((line) => console.log(JSON.stringify(line)));
}

/** Where the trainer publishes the specs its versions on modelsTopic name by fingerprint. */
function publishedSpecsTopic(modelsTopic) {
  return `${modelsTopic}-published-specs`;
}

/**
 * The models topic and its published-specs topic up to their ends (read_committed), through a
 * VersionAssembler. One consumer reads both, in whatever order their records come: the assembler
 * holds a version until its spec is there, and the spec until its version is.
 */
async function readModels(args, kafka, codecs) {
  const modelsTopic = args['models-topic'];
  const specsTopic = publishedSpecsTopic(modelsTopic);
  const topics = [modelsTopic];
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(); // "topic:partition" -> end offset
  try {
    // a trainer before published specs has no such topic: its versions carry their spec
    if ((await admin.listTopics()).includes(specsTopic)) topics.push(specsTopic);
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const assembler = new VersionAssembler();
  const atEnd = new Set([...ends].filter(([, end]) => end === 0n).map(([tp]) => tp));
  if (atEnd.size === ends.size) return assembler;

  const consumer = kafka.consumer({ groupId: `streamsgd-example-${crypto.randomUUID()}`, readUncommitted: false });
  let failed = null;
  const done = new Promise((resolve, reject) => {
    failed = reject;
    // Batches of control records only (transaction markers) reach no handler but this event.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const tp = `${payload.topic}:${payload.partition}`;
      if (BigInt(payload.lastOffset) >= ends.get(tp) - 1n) atEnd.add(tp);
      if (atEnd.size === ends.size) resolve();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
  });
  const timer = setTimeout(
    () => failed(new Error(`no end of ${topics.join(' and ')} within ${args.timeout} s`)),
    1000 * args.timeout,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const spec = batch.topic === specsTopic;
        const reader = spec ? codecs.publishedSpec : codecs.modelUpdate;
        for (const message of batch.messages) {
          let record;
          try {
            record = message.value === null ? null : await reader.decode(message.value);
          } catch (e) {
            failed(new Error(`${batch.topic} partition ${batch.partition} offset ${message.offset}: ${e.message}`));
            return;
          }
          if (spec) assembler.offerSpec(record);
          else assembler.offer(record);
        }
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return assembler;
}

async function score(args, kafka, codecs) {
  const assembler = await readModels(args, kafka, codecs);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const model = assembler.complete.get(request.modelId);
    if (model === undefined) {
      console.log(JSON.stringify({ modelId: request.modelId, error: 'no such model' }));
      continue;
    }
    try {
      const output = model.predict(request.features);
      console.log(JSON.stringify({ modelId: request.modelId, version: model.version, ...output }));
    } catch (e) {
      console.log(JSON.stringify({ modelId: request.modelId, error: e.message }));
    }
  }
}

async function main() {
  const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'bootstrap-servers': { type: 'string' },
      schemas: { type: 'string', default: DEFAULT_SCHEMA_DIR },
      'samples-topic': { type: 'string', default: 'samples' },
      'specs-topic': { type: 'string', default: 'model-specs' },
      'models-topic': { type: 'string', default: 'models' },
      prefix: { type: 'string', default: 'node' },
      samples: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '60' },
      // how produce frames its records (score reads both)
      framing: { type: 'string', default: SINGLE_OBJECT },
      // the schema registry's Confluent-compatible API, http://HOST:PORT/apis/ccompat/v7
      'registry-url': { type: 'string' },
    },
  });
  const command = positionals[0];
  const usage = (problem) => {
    console.error(`node example.js: ${problem}`);
    console.error(
      'usage: node example.js produce|score --bootstrap-servers HOST:PORT' +
        ' [--framing single-object|confluent] [--registry-url URL] [options]',
    );
    process.exit(2);
  };
  if (!['produce', 'score'].includes(command)) usage('the first argument is produce or score');
  if (!args['bootstrap-servers']) usage('--bootstrap-servers is required');
  if (!FRAMINGS.includes(args.framing)) usage(`--framing is one of ${FRAMINGS.join(', ')}, not '${args.framing}'`);
  if (args.framing === CONFLUENT && !args['registry-url']) {
    usage("--framing confluent needs --registry-url URL, the schema registry's address");
  }
  const codecs = new Codecs(args.schemas, args['registry-url'] || null);
  const kafka = new Kafka({
    clientId: 'streamsgd-node-example',
    brokers: args['bootstrap-servers'].split(','),
    logLevel: logLevel.WARN,
  });
  await (command === 'produce' ? produce : score)(args, kafka, codecs);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
