"""How streamsgd's Avro records are framed on Kafka.

Single-object encoding (the Avro specification's "Single object encoding"): the two bytes C3 01,
the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form,
then the Avro binary body.
"""

import io
import struct

import avro.io

from streamsgd_avro import DEFAULT_SCHEMA_DIR, NAMESPACE, canonical_form, crc64_avro, load_schemas, with_defaults


class SingleObjectFraming:
    """Values framed as C3 01, the writer schema's fingerprint, the body.

    Another framing (the Confluent wire format, say) would be a class with the same two methods.
    """

    MAGIC = b"\xc3\x01"

    def __init__(self, schema):
        self.schema = schema
        self.fingerprint = struct.pack("<Q", crc64_avro(canonical_form(schema).encode("utf-8")))
        self.writer = avro.io.DatumWriter(schema)
        self.reader = avro.io.DatumReader(schema)

    def encode(self, datum):
        """The datum framed; fields it leaves out take the schema's defaults."""
        buffer = io.BytesIO()
        buffer.write(self.MAGIC)
        buffer.write(self.fingerprint)
        self.writer.write(with_defaults(self.schema, datum), avro.io.BinaryEncoder(buffer))
        return buffer.getvalue()

    def decode(self, value):
        if value[:2] != self.MAGIC:
            raise ValueError("not Avro single-object encoding")
        if value[2:10] != self.fingerprint:
            raise ValueError(
                f"written with another {self.schema.name} schema (fingerprint "
                f"{value[2:10].hex()}, this one reads {self.fingerprint.hex()})"
            )
        return self.reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


class Codecs:
    """The framings of the records these examples write and read."""

    def __init__(self, schema_dir=DEFAULT_SCHEMA_DIR):
        schemas = load_schemas(schema_dir)
        self.schemas = schemas
        self.model_spec = SingleObjectFraming(schemas[NAMESPACE + ".ModelSpec"])
        self.training_sample = SingleObjectFraming(schemas[NAMESPACE + ".TrainingSample"])
        self.model_update = SingleObjectFraming(schemas[NAMESPACE + ".ModelUpdate"])
