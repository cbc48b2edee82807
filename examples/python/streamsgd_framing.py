"""How streamsgd's Avro records are framed on Kafka: the one module of this example that knows.

Two framings, told apart by a record's first byte:

- single-object encoding (the Avro specification's "Single object encoding"): the two bytes C3 01,
  the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form,
  then the Avro binary body. No registry is needed, but a reader reads only the writer schemas
  whose fingerprints it knows (the trainer: its own schemas and those of its releases).
- the Confluent wire format: the byte 00, the writer schema's id in a schema registry as a 4-byte
  big-endian integer, then the Avro binary body. A reader fetches the writer schema by its id and
  resolves it against its own (Avro schema resolution), so a writer may evolve its schema
  compatibly, e.g. add a field with a default.
"""

import io
import json
import struct
import time
import urllib.error
import urllib.request

import avro.io
import avro.schema

from streamsgd_avro import (
    DEFAULT_SCHEMA_DIR,
    NAMESPACE,
    canonical_form,
    crc64_avro,
    load_documents,
    parse_schemas,
    standalone,
    with_defaults,
)

SINGLE_OBJECT = "single-object"
CONFLUENT = "confluent"
FRAMINGS = (SINGLE_OBJECT, CONFLUENT)

MODEL_SPEC = NAMESPACE + ".ModelSpec"
TRAINING_SAMPLE = NAMESPACE + ".TrainingSample"
MODEL_UPDATE = NAMESPACE + ".ModelUpdate"
PUBLISHED_SPEC = NAMESPACE + ".PublishedSpec"


class RegistryError(Exception):
    """The schema registry refused a request or could not be reached (transient: asking again
    may succeed)."""

    def __init__(self, message, transient=False):
        super().__init__(message)
        self.transient = transient


class SchemaRegistry:
    """A schema registry's Confluent-compatible REST API at url (Apicurio Registry serves it at
    http://HOST:PORT/apis/ccompat/v7): schemas registered under a subject, fetched by id."""

    CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"

    def __init__(self, url, timeout=30.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._schemas = {}  # id -> parsed schema: the schema under an id never changes

    ATTEMPTS = 6  # transient failures (5xx, 429, unreachable) are retried, 0.2 s doubling

    def _call(self, method, path, body=None):
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                return self._call_once(method, path, body)
            except RegistryError as e:
                if not e.transient or attempt == self.ATTEMPTS:
                    raise
                time.sleep(0.2 * 2 ** (attempt - 1))

    def _call_once(self, method, path, body):
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": self.CONTENT_TYPE}
        if data is not None:
            headers["Content-Type"] = self.CONTENT_TYPE
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                answer = json.loads(text)
                text = f"error_code {answer['error_code']}: {answer.get('message', '')}"
            except (ValueError, KeyError, TypeError):
                pass
            raise RegistryError(
                f"{method} {self.url}{path}: HTTP {e.code}, {text}", e.code >= 500 or e.code == 429
            ) from None
        except (urllib.error.URLError, OSError) as e:
            raise RegistryError(f"no schema registry at {self.url}: {e}", True) from None

    def register(self, subject, schema_json):
        """The id of schema_json (the schema's JSON text) under subject, registered if new."""
        return self._call("POST", f"/subjects/{subject}/versions", {"schema": schema_json})["id"]

    def schema(self, schema_id):
        """The schema registered under schema_id, parsed."""
        if schema_id not in self._schemas:
            text = self._call("GET", f"/schemas/ids/{schema_id}")["schema"]
            self._schemas[schema_id] = avro.schema.parse(text)
        return self._schemas[schema_id]


def subject(topic):
    """The subject of a topic's values: Confluent's TopicNameStrategy."""
    return f"{topic}-value"


class SingleObjectFraming:
    """Values framed as C3 01, the writer schema's fingerprint, the body."""

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


class ConfluentWriter:
    """Values framed as 00, the writer schema's registry id, the body. The schema is registered
    when the writer is made; registering one the subject already has gives its id again."""

    MAGIC = b"\x00"

    def __init__(self, registry, subject_name, document):
        text = json.dumps(document)
        # written with the very schema the registry stores under the id, parsed from that text
        self.schema = avro.schema.parse(text)
        self.schema_id = registry.register(subject_name, text)
        self.header = self.MAGIC + struct.pack(">I", self.schema_id)
        self.writer = avro.io.DatumWriter(self.schema)

    def encode(self, datum):
        """The datum framed; fields it leaves out take the schema's defaults."""
        buffer = io.BytesIO()
        buffer.write(self.header)
        self.writer.write(with_defaults(self.schema, datum), avro.io.BinaryEncoder(buffer))
        return buffer.getvalue()


class Reader:
    """Reads values of one record type in either framing, as its first byte says, into schema."""

    def __init__(self, schema, registry=None):
        self.schema = schema
        self.registry = registry
        self.single_object = SingleObjectFraming(schema)
        self._resolving = {}  # schema id -> DatumReader(writer schema, schema)

    def decode(self, value):
        if value[:2] == SingleObjectFraming.MAGIC:
            return self.single_object.decode(value)
        if value[:1] == ConfluentWriter.MAGIC:
            if len(value) < 5:
                raise ValueError(f"a Confluent-framed record of {len(value)} bytes: no schema id")
            (schema_id,) = struct.unpack(">I", value[1:5])
            return self._reader(schema_id).read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))
        raise ValueError(
            "neither Avro single-object encoding (C3 01) nor the Confluent wire format (00): "
            f"the record starts with {value[:2].hex() or 'nothing'}"
        )

    def _reader(self, schema_id):
        if schema_id not in self._resolving:
            if self.registry is None:
                raise ValueError(
                    f"a record in the Confluent wire format (writer schema id {schema_id}) needs "
                    "the schema registry: give --registry-url"
                )
            # Avro schema resolution: fields the writer has and this reader lacks are skipped,
            # fields this reader has and the writer lacks take this reader's defaults.
            writer_schema = self.registry.schema(schema_id)
            self._resolving[schema_id] = avro.io.DatumReader(writer_schema, self.schema)
        return self._resolving[schema_id]


class Codecs:
    """streamsgd's schemas, and writers and readers of its records in either framing."""

    def __init__(self, schema_dir=DEFAULT_SCHEMA_DIR, registry_url=None):
        self.documents = load_documents(schema_dir)
        self.schemas = parse_schemas(self.documents)
        self.registry = None if registry_url is None else SchemaRegistry(registry_url)
        self.model_update = Reader(self.schemas[MODEL_UPDATE], self.registry)
        self.published_spec = Reader(self.schemas[PUBLISHED_SPEC], self.registry)

    def writer(self, framing, name, topic, more_fields=()):
        """A writer of name's records for topic in framing. In the Confluent wire format the schema
        (with more_fields appended to its fields, if any) is registered under topic's subject."""
        if framing == SINGLE_OBJECT:
            if more_fields:
                # a reader knows a single-object writer schema only by its fingerprint
                raise ValueError("single-object encoding carries only streamsgd's own schemas")
            return SingleObjectFraming(self.schemas[name])
        if framing != CONFLUENT:
            raise ValueError(f"no framing {framing!r}: one of {', '.join(FRAMINGS)}")
        if self.registry is None:
            raise ValueError("the Confluent wire format needs a schema registry: give --registry-url")
        document = standalone(self.documents, name)
        document["fields"] = document["fields"] + list(more_fields)
        return ConfluentWriter(self.registry, subject(topic), document)
