'use strict';
// How streamsgd's Avro records are framed on Kafka: the one module of this example that knows.
//
// Two framings, told apart by a record's first byte:
// - single-object encoding (the Avro specification's "Single object encoding"): the two bytes
//   C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's Parsing
//   Canonical Form, then the Avro binary body. No registry is needed, but a reader reads only the
//   writer schemas whose fingerprints it knows (the trainer: its own schemas and its releases').
// - the Confluent wire format: the byte 00, the writer schema's id in a schema registry as a 4-byte
//   big-endian integer, then the Avro binary body. A reader fetches the writer schema by its id and
//   resolves it against its own (Avro schema resolution), so a writer may evolve its schema
//   compatibly, e.g. add a field with a default.

const {
  NAMESPACE,
  DEFAULT_SCHEMA_DIR,
  crc64Avro,
  loadDocuments,
  parseSchemas,
  standalone,
  parseStandalone,
} = require('./avro');

const SINGLE_OBJECT = 'single-object';
const CONFLUENT = 'confluent';
const FRAMINGS = [SINGLE_OBJECT, CONFLUENT];

const MODEL_SPEC = `${NAMESPACE}.ModelSpec`;
const TRAINING_SAMPLE = `${NAMESPACE}.TrainingSample`;
const MODEL_UPDATE = `${NAMESPACE}.ModelUpdate`;
const PUBLISHED_SPEC = `${NAMESPACE}.PublishedSpec`;

/** The schema registry refused a request or could not be reached. */
/** The registry refused a request or could not be reached (transient: asking again may succeed). */
class RegistryError extends Error {
  constructor(message, transient = false) {
    super(message);
    this.transient = transient;
  }
}

/**
 * A schema registry's Confluent-compatible REST API at url (Apicurio Registry serves it at
 * http://HOST:PORT/apis/ccompat/v7): schemas registered under a subject, fetched by id. Uses the
 * fetch of Node 18+.
 */
class SchemaRegistry {
  constructor(url, timeoutMs = 30000) {
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
    this.schemas = new Map(); // id -> Promise of the parsed schema: the schema under an id never changes
  }

  /** Transient failures (5xx, 429, unreachable) are asked again, 6 attempts, 0.2 s doubling. */
  async call(method, path, body) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(method, path, body);
      } catch (e) {
        if (!(e instanceof RegistryError) || !e.transient || attempt === SchemaRegistry.ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
      }
    }
  }

  async callOnce(method, path, body) {
    const headers = { Accept: SchemaRegistry.CONTENT_TYPE };
    if (body !== undefined) headers['Content-Type'] = SchemaRegistry.CONTENT_TYPE;
    let response;
    let text;
    try {
      response = await fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      throw new RegistryError(`no schema registry at ${this.url}: ${e.cause ? e.cause.message : e.message}`, true);
    }
    if (!response.ok) {
      try {
        const answer = JSON.parse(text);
        if (answer.error_code !== undefined) text = `error_code ${answer.error_code}: ${answer.message || ''}`;
      } catch (notJson) {
        // the body as it came
      }
      throw new RegistryError(
        `${method} ${this.url}${path}: HTTP ${response.status}, ${text}`,
        response.status >= 500 || response.status === 429,
      );
    }
    return JSON.parse(text);
  }

  /** The id of schemaJson (the schema's JSON text) under subject, registered if new. */
  async register(subject, schemaJson) {
    return (await this.call('POST', `/subjects/${subject}/versions`, { schema: schemaJson })).id;
  }

  /** The schema registered under id, as an avsc Type. */
  schema(id) {
    if (!this.schemas.has(id)) {
      const fetched = this.call('GET', `/schemas/ids/${id}`).then((answer) =>
        parseStandalone(JSON.parse(answer.schema)),
      );
      fetched.catch(() => this.schemas.delete(id)); // not cached when it failed
      this.schemas.set(id, fetched);
    }
    return this.schemas.get(id);
  }
}
SchemaRegistry.CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
SchemaRegistry.ATTEMPTS = 6;

/** The subject of a topic's values: Confluent's TopicNameStrategy. */
function subject(topic) {
  return `${topic}-value`;
}

/** Values framed as C3 01, the writer schema's fingerprint, the body. */
class SingleObjectFraming {
  constructor(type) {
    this.type = type;
    this.fingerprint = Buffer.alloc(8);
    this.fingerprint.writeBigUInt64LE(crc64Avro(Buffer.from(JSON.stringify(type.schema()), 'utf8')));
  }

  /** The value framed; fields it leaves out take the schema's defaults. */
  encode(value) {
    return Buffer.concat([SingleObjectFraming.MAGIC, this.fingerprint, this.type.toBuffer(value)]);
  }

  decode(buf) {
    if (buf.length < 10 || !buf.subarray(0, 2).equals(SingleObjectFraming.MAGIC)) {
      throw new Error('not Avro single-object encoding');
    }
    if (!buf.subarray(2, 10).equals(this.fingerprint)) {
      throw new Error(
        `written with another ${this.type.name} schema (fingerprint ${buf.subarray(2, 10).toString('hex')},` +
          ` this one reads ${this.fingerprint.toString('hex')})`,
      );
    }
    return this.type.fromBuffer(buf.subarray(10));
  }
}
SingleObjectFraming.MAGIC = Buffer.from([0xc3, 0x01]);

/** Values framed as 00, the writer schema's registry id, the body. Made by ConfluentWriter.register. */
class ConfluentWriter {
  constructor(id, type) {
    this.id = id;
    this.type = type;
    this.header = Buffer.alloc(5);
    this.header.writeUInt32BE(id, 1);
  }

  /** Registers the schema (a JSON document) under subject; one the subject has gives its id again. */
  static async register(registry, subjectName, doc) {
    const text = JSON.stringify(doc);
    // written with the very schema the registry stores under the id, parsed from that text
    const type = parseStandalone(JSON.parse(text));
    return new ConfluentWriter(await registry.register(subjectName, text), type);
  }

  /** The value framed; fields it leaves out take the schema's defaults. */
  encode(value) {
    return Buffer.concat([this.header, this.type.toBuffer(value)]);
  }
}
ConfluentWriter.MAGIC = 0x00;

/** Reads values of one record type in either framing, as their first byte says, into type. */
class Reader {
  constructor(type, registry = null) {
    this.type = type;
    this.registry = registry;
    this.singleObject = new SingleObjectFraming(type);
    this.resolvers = new Map(); // schema id -> Promise of a resolver from the writer schema to type
  }

  /** The value of a record (a Buffer); a Promise, since a writer schema may have to be fetched. */
  async decode(buf) {
    if (buf.subarray(0, 2).equals(SingleObjectFraming.MAGIC)) {
      return this.singleObject.decode(buf);
    }
    if (buf.length >= 1 && buf[0] === ConfluentWriter.MAGIC) {
      if (buf.length < 5) throw new Error(`a Confluent-framed record of ${buf.length} bytes: no schema id`);
      const resolver = await this.resolver(buf.readUInt32BE(1));
      return this.type.fromBuffer(buf.subarray(5), resolver);
    }
    throw new Error(
      'neither Avro single-object encoding (C3 01) nor the Confluent wire format (00): ' +
        `the record starts with ${buf.subarray(0, 2).toString('hex') || 'nothing'}`,
    );
  }

  resolver(id) {
    if (!this.resolvers.has(id)) {
      if (this.registry === null) {
        throw new Error(
          `a record in the Confluent wire format (writer schema id ${id}) needs the schema registry:` +
            ' give --registry-url',
        );
      }
      // Avro schema resolution: fields the writer has and this reader lacks are skipped, fields
      // this reader has and the writer lacks take this reader's defaults.
      const resolver = this.registry.schema(id).then((writer) => this.type.createResolver(writer));
      resolver.catch(() => this.resolvers.delete(id));
      this.resolvers.set(id, resolver);
    }
    return this.resolvers.get(id);
  }
}

/** streamsgd's schemas, and writers and readers of its records in either framing. */
class Codecs {
  constructor(dir = DEFAULT_SCHEMA_DIR, registryUrl = null) {
    this.documents = loadDocuments(dir);
    this.schemas = parseSchemas(this.documents);
    this.registry = registryUrl ? new SchemaRegistry(registryUrl) : null;
    this.modelUpdate = new Reader(this.schemas[MODEL_UPDATE], this.registry);
    this.publishedSpec = new Reader(this.schemas[PUBLISHED_SPEC], this.registry);
  }

  /**
   * A writer of name's records for topic in framing (a Promise). In the Confluent wire format the
   * schema (with moreFields appended to its fields, if any) is registered under topic's subject.
   */
  async writer(framing, name, topic, moreFields = []) {
    if (framing === SINGLE_OBJECT) {
      // a reader knows a single-object writer schema only by its fingerprint
      if (moreFields.length) throw new Error("single-object encoding carries only streamsgd's own schemas");
      return new SingleObjectFraming(this.schemas[name]);
    }
    if (framing !== CONFLUENT) throw new Error(`no framing '${framing}': one of ${FRAMINGS.join(', ')}`);
    if (this.registry === null) {
      throw new Error('the Confluent wire format needs a schema registry: give --registry-url');
    }
    const doc = standalone(this.documents, name);
    doc.fields = [...doc.fields, ...moreFields];
    return ConfluentWriter.register(this.registry, subject(topic), doc);
  }
}

module.exports = {
  SINGLE_OBJECT,
  CONFLUENT,
  FRAMINGS,
  MODEL_SPEC,
  TRAINING_SAMPLE,
  MODEL_UPDATE,
  PUBLISHED_SPEC,
  RegistryError,
  SchemaRegistry,
  subject,
  SingleObjectFraming,
  ConfluentWriter,
  Reader,
  Codecs,
};
