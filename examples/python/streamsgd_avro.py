"""streamsgd's Avro schemas, read from schemas/, and the fingerprint single-object encoding needs.

The framings that put these records on Kafka are in streamsgd_framing.
"""

import json
import os

import avro.name
import avro.schema

NAMESPACE = "io.streamsgd.schema"
DEFAULT_SCHEMA_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "src", "main", "avro"
)

_CRC64_EMPTY = 0xC15D213AA4D7A795


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (_CRC64_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_CRC64_TABLE = _crc64_table()


def crc64_avro(data):
    """The CRC-64-AVRO (Rabin) fingerprint of bytes, as an unsigned 64-bit integer."""
    fp = _CRC64_EMPTY
    for b in data:
        fp = (fp >> 8) ^ _CRC64_TABLE[(fp ^ b) & 0xFF]
    return fp


def canonical_form(schema, seen=None):
    """The schema's Parsing Canonical Form (the Avro specification's), whose fingerprint the
    framing carries. Written here because this Avro library keeps a logical type's primitive as
    {"type": "long"} where the form (and Java's SchemaNormalization) has "long"."""
    seen = set() if seen is None else seen
    kind = schema.type
    if kind in ("record", "error", "enum", "fixed"):
        if schema.fullname in seen:
            return json.dumps(schema.fullname)
        seen.add(schema.fullname)
        head = f'{{"name":{json.dumps(schema.fullname)},"type":"{kind}"'
        if kind == "enum":
            return head + f',"symbols":{json.dumps(list(schema.symbols), separators=(",", ":"))}}}'
        if kind == "fixed":
            return head + f',"size":{schema.size}}}'
        fields = ",".join(
            f'{{"name":{json.dumps(f.name)},"type":{canonical_form(f.type, seen)}}}'
            for f in schema.fields
        )
        return head + f',"fields":[{fields}]}}'
    if kind == "array":
        return f'{{"type":"array","items":{canonical_form(schema.items, seen)}}}'
    if kind == "map":
        return f'{{"type":"map","values":{canonical_form(schema.values, seen)}}}'
    if kind == "union":
        return "[" + ",".join(canonical_form(s, seen) for s in schema.schemas) + "]"
    return json.dumps(kind)


def _full_name(name, namespace):
    return name if "." in name else f"{namespace}.{name}"


def _references(node, namespace, out):
    """Full names of the named types a schema's JSON refers to (not the ones it defines)."""
    if isinstance(node, str):
        out.add(_full_name(node, namespace))
    elif isinstance(node, list):
        for branch in node:
            _references(branch, namespace, out)
    elif isinstance(node, dict):
        namespace = node.get("namespace", namespace)
        for key in ("type", "items", "values"):
            if key in node:
                _references(node[key], namespace, out)
        for field in node.get("fields", []):
            _references(field["type"], namespace, out)


def load_documents(schema_dir=DEFAULT_SCHEMA_DIR):
    """Every .avsc under schema_dir (subfolders too), as JSON: {full name: document}."""
    documents = {}
    for folder, _, files in os.walk(schema_dir):
        for file in sorted(files):
            if file.endswith(".avsc"):
                with open(os.path.join(folder, file), encoding="utf-8") as f:
                    doc = json.load(f)
                documents[_full_name(doc["name"], doc.get("namespace", NAMESPACE))] = doc
    return documents


def parse_schemas(documents):
    """The documents parsed in the order their references need: {full name: avro Schema}."""
    names = avro.name.Names()
    parsed = {}

    def parse(full_name, path):
        if full_name in parsed:
            return
        if full_name in path:
            raise ValueError("schemas refer to each other in a cycle: " + " -> ".join(path))
        doc = documents[full_name]
        refs = set()
        _references(doc, doc.get("namespace", NAMESPACE), refs)
        for ref in sorted(refs & documents.keys()):
            if ref != full_name:
                parse(ref, path + [full_name])
        parsed[full_name] = avro.schema.make_avsc_object(doc, names)

    for full_name in sorted(documents):
        parse(full_name, [])
    return parsed


def load_schemas(schema_dir=DEFAULT_SCHEMA_DIR):
    """Every .avsc under schema_dir, parsed: {full name: avro Schema}."""
    return parse_schemas(load_documents(schema_dir))


def standalone(documents, full_name):
    """The document of full_name with every named type it uses from the other documents written
    out where it is first used (and named after that), as JSON that needs no other file: what a
    schema registry stores, since it knows no names but a schema's own."""
    defined = set()

    def define(doc):
        namespace = doc.get("namespace", NAMESPACE)
        defined.add(_full_name(doc["name"], namespace))
        # the namespace made explicit: written out inside another type, the document would
        # otherwise take that type's namespace
        return inline(dict(doc, namespace=namespace), namespace)

    def inline(node, namespace):
        if isinstance(node, str):
            name = _full_name(node, namespace)
            if name not in documents:
                return node  # a primitive type, or a type defined inside a document
            return name if name in defined else define(documents[name])
        if isinstance(node, list):
            return [inline(branch, namespace) for branch in node]
        if isinstance(node, dict):
            namespace = node.get("namespace", namespace)
            out = dict(node)
            for key in ("type", "items", "values"):
                if key in out:
                    out[key] = inline(out[key], namespace)
            if "fields" in out:
                out["fields"] = [dict(f, type=inline(f["type"], namespace)) for f in out["fields"]]
            return out
        return node

    return define(documents[full_name])


def with_defaults(schema, datum):
    """The record datum with every field it leaves out set to the schema's default, recursively."""
    if isinstance(schema, avro.schema.RecordSchema) and isinstance(datum, dict):
        out = {}
        for field in schema.fields:
            if field.name in datum:
                out[field.name] = with_defaults(field.type, datum[field.name])
            elif field.has_default:
                out[field.name] = with_defaults(field.type, field.default)
            else:
                raise ValueError(f"{schema.name}.{field.name} is required")
        return out
    if isinstance(schema, avro.schema.UnionSchema) and isinstance(datum, dict):
        # the first record branch with every key of the datum: {"values"} is DenseFeatures,
        # {"indices", "values"} SparseFeatures, {"names", "values"} NamedFeatures (Avro's writer
        # takes the last branch a datum validates against: the same one)
        for branch in schema.schemas:
            if isinstance(branch, avro.schema.RecordSchema) and {f.name for f in branch.fields} >= datum.keys():
                return with_defaults(branch, datum)
    return datum
