'use strict';
// How streamsgd's Avro records are framed on Kafka.
// Single-object encoding: the two bytes C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of
// the writer schema's Parsing Canonical Form, then the Avro binary body.

const { NAMESPACE, DEFAULT_SCHEMA_DIR, crc64Avro, loadSchemas } = require('./avro');

/**
 * Values framed as C3 01, the writer schema's fingerprint, the body. Another framing (the
 * Confluent wire format, say) would be a class with the same two methods.
 */
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

/** The framings of the records the example writes and reads. */
function codecs(dir = DEFAULT_SCHEMA_DIR) {
  const schemas = loadSchemas(dir);
  return {
    schemas,
    modelSpec: new SingleObjectFraming(schemas[`${NAMESPACE}.ModelSpec`]),
    trainingSample: new SingleObjectFraming(schemas[`${NAMESPACE}.TrainingSample`]),
    modelUpdate: new SingleObjectFraming(schemas[`${NAMESPACE}.ModelUpdate`]),
  };
}

module.exports = { SingleObjectFraming, codecs };
