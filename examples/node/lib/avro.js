'use strict';
// streamsgd's Avro schemas, read from schemas/, and the fingerprint single-object encoding needs.
// The framings that put these records on Kafka are in framing.js.

const fs = require('fs');
const path = require('path');
const avro = require('avsc');

const NAMESPACE = 'io.streamsgd.schema';
const DEFAULT_SCHEMA_DIR = path.join(__dirname, '..', '..', '..', 'schemas', 'src', 'main', 'avro');

const CRC64_EMPTY = 0xc15d213aa4d7a795n;
const CRC64_TABLE = (() => {
  const table = [];
  for (let i = 0n; i < 256n; i++) {
    let fp = i;
    for (let j = 0; j < 8; j++) {
      fp = (fp >> 1n) ^ (CRC64_EMPTY & -(fp & 1n));
    }
    table.push(fp & 0xffffffffffffffffn);
  }
  return table;
})();

/** The CRC-64-AVRO (Rabin) fingerprint of bytes, as an unsigned 64-bit BigInt. */
function crc64Avro(bytes) {
  let fp = CRC64_EMPTY;
  for (const b of bytes) {
    fp = (fp >> 8n) ^ CRC64_TABLE[Number((fp ^ BigInt(b)) & 0xffn)];
  }
  return fp;
}

/**
 * Avro longs as numbers, or as BigInts beyond 2^53 (fingerprints): avsc's own long type refuses
 * those.
 */
const LONG = avro.types.LongType.__with({
  fromBuffer: (buf) => {
    const n = buf.readBigInt64LE();
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  },
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (n) => n,
  toJSON: (n) => (typeof n === 'bigint' ? n.toString() : n),
  isValid: (n) => typeof n === 'bigint' || Number.isSafeInteger(n),
  compare: (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
});

function fullName(name, namespace) {
  return name.includes('.') ? name : `${namespace}.${name}`;
}

/** Full names of the named types a schema's JSON refers to. */
function references(node, namespace, out) {
  if (typeof node === 'string') {
    out.add(fullName(node, namespace));
  } else if (Array.isArray(node)) {
    node.forEach((branch) => references(branch, namespace, out));
  } else if (node && typeof node === 'object') {
    const ns = node.namespace || namespace;
    for (const key of ['type', 'items', 'values']) {
      if (key in node) references(node[key], ns, out);
    }
    (node.fields || []).forEach((field) => references(field.type, ns, out));
  }
  return out;
}

function avscFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return avscFiles(file);
    return entry.name.endsWith('.avsc') ? [file] : [];
  });
}

/** Every .avsc under dir (subfolders too), as JSON: Map of full name -> document. */
function loadDocuments(dir = DEFAULT_SCHEMA_DIR) {
  const documents = new Map();
  for (const file of avscFiles(dir).sort()) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    documents.set(fullName(doc.name, doc.namespace || NAMESPACE), doc);
  }
  return documents;
}

/** The documents parsed in the order their references need: {full name: avsc Type}. */
function parseSchemas(documents) {
  const registry = { long: LONG };
  const parsed = {};
  const parse = (name, trail) => {
    if (name in parsed) return;
    if (trail.includes(name)) throw new Error(`schemas refer to each other in a cycle: ${trail.join(' -> ')}`);
    const doc = documents.get(name);
    for (const ref of [...references(doc, doc.namespace || NAMESPACE, new Set())].sort()) {
      if (ref !== name && documents.has(ref)) parse(ref, [...trail, name]);
    }
    parsed[name] = avro.Type.forSchema(doc, { registry, wrapUnions: 'auto' });
  };
  [...documents.keys()].sort().forEach((name) => parse(name, []));
  return parsed;
}

/** Every .avsc under dir, parsed: {full name: avsc Type}. */
function loadSchemas(dir = DEFAULT_SCHEMA_DIR) {
  return parseSchemas(loadDocuments(dir));
}

/**
 * The document of name with every named type it uses from the other documents written out where
 * it is first used (and named after that), as JSON that needs no other file: what a schema
 * registry stores, since it knows no names but a schema's own.
 */
function standalone(documents, name) {
  const defined = new Set();
  const define = (doc) => {
    const namespace = doc.namespace || NAMESPACE;
    defined.add(fullName(doc.name, namespace));
    // the namespace made explicit: written out inside another type, the document would otherwise
    // take that type's namespace
    return inline({ ...doc, namespace }, namespace);
  };
  const inline = (node, namespace) => {
    if (typeof node === 'string') {
      const full = fullName(node, namespace);
      if (!documents.has(full)) return node; // a primitive type, or a type defined inside a document
      return defined.has(full) ? full : define(documents.get(full));
    }
    if (Array.isArray(node)) return node.map((branch) => inline(branch, namespace));
    if (node && typeof node === 'object') {
      const ns = node.namespace || namespace;
      const out = { ...node };
      for (const key of ['type', 'items', 'values']) {
        if (key in out) out[key] = inline(out[key], ns);
      }
      if (out.fields) out.fields = out.fields.map((field) => ({ ...field, type: inline(field.type, ns) }));
      return out;
    }
    return node;
  };
  return define(documents.get(name));
}

/** One standalone schema (a registered or fetched one) as an avsc Type, read as the loaded ones. */
function parseStandalone(doc) {
  return avro.Type.forSchema(doc, { registry: { long: LONG }, wrapUnions: 'auto' });
}

module.exports = {
  NAMESPACE,
  DEFAULT_SCHEMA_DIR,
  crc64Avro,
  loadDocuments,
  parseSchemas,
  loadSchemas,
  standalone,
  parseStandalone,
};
