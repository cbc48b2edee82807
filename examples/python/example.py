#!/usr/bin/python3
"""streamsgd from Python, with no JVM code: give models their specs, stream them samples, then
follow the models topic and score with the latest version of each model.

  example.py produce --bootstrap-servers HOST:PORT [--prefix py] [--samples 200]
      [--framing single-object|confluent] [--registry-url URL]
  example.py score --bootstrap-servers HOST:PORT [--framing single-object|confluent]
      [--registry-url URL] < requests.jsonl

`produce` writes three models' specs and samples, keyed by model id, and prints one JSON line
per model: {"modelId", "samples", "batchSize", "finalVersion"}.
  PREFIX-dense    regression (squared loss) on 3 dense features
  PREFIX-hashed   binary classification (logistic loss) on named features hashed into 2^16
  PREFIX-classes  3-class softmax on sparse features of dimension 8

`score` reads the models topic and its published-specs topic (MODELS_TOPIC-published-specs, where
the trainer writes each model's spec once instead of in every version) to their ends,
read_committed, keeps the highest complete version of each model with its spec, then answers each
line of standard input, {"modelId": ..., "features": F} with F one of {"values": [...]},
{"indices": [...], "values": [...]} or {"names": [...], "values": [...]}, with one line
{"modelId", "version", "score", "value", "predictedClass", "probabilities"} (or
{"modelId", "error"}).

Framings (streamsgd_framing): `produce --framing single-object` (the default) writes Avro
single-object encoding; `--framing confluent` writes the Confluent wire format, registers the
schemas under SPECS_TOPIC-value and SAMPLES_TOPIC-value in the schema registry at --registry-url
(its Confluent-compatible API, e.g. http://HOST:PORT/apis/ccompat/v7), and writes the samples with
an evolved TrainingSample schema: one field more, "producer", which the trainer skips. `score`
reads both framings, record by record; Confluent-framed models and specs need --registry-url
(with `--framing confluent` it is required up front).
"""

import argparse
import datetime
import json
import random
import sys
import uuid

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from streamsgd_avro import DEFAULT_SCHEMA_DIR
from streamsgd_framing import (
    CONFLUENT,
    FRAMINGS,
    MODEL_SPEC,
    SINGLE_OBJECT,
    TRAINING_SAMPLE,
    Codecs,
    RegistryError,
)
from streamsgd_models import VersionAssembler

BATCH = 10
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
# In the Confluent wire format the samples' writer schema is TrainingSample with this field more:
# the trainer resolves it against its own schema and skips the field, so a producer may evolve its
# schema compatibly. (In single-object encoding the trainer would refuse an unknown fingerprint.)
PRODUCER_FIELD = {"name": "producer", "type": "string", "default": ""}


def specs(prefix):
    def spec(model_id, task, loss, dimension, rate, **more):
        return dict(
            modelId=model_id,
            task=task,
            loss=loss,
            featureDimension=dimension,
            optimizer={"kind": "SGD", "learningRate": rate},
            regularization={},
            batch={"kind": "FIXED", "size": BATCH},
            **more,
        )

    return [
        spec(f"{prefix}-dense", "REGRESSION", "SQUARED", 3, 0.1),
        spec(f"{prefix}-hashed", "BINARY", "LOGISTIC", 1 << 16, 0.5, hashBits=16),
        spec(f"{prefix}-classes", "MULTICLASS", "SOFTMAX", 8, 0.5, numClasses=3),
    ]


def samples(spec, n, rng):
    """n samples for one of the specs above, from a fixed seed."""
    model_id = spec["modelId"]
    for i in range(n):
        if spec["task"] == "REGRESSION":
            x = [rng.random() for _ in range(3)]
            features = {"values": x}
            label = 1.0 + 2.0 * x[0] - x[1] + 0.5 * x[2] + 0.1 * rng.random()
        elif spec["task"] == "BINARY":
            picked = rng.sample(range(5000), 20)
            names = [f"f{k}" for k in picked] + ["city=Zürich" if i % 2 else "city=Malmö"]
            features = {"names": names, "values": [1.0] * len(names)}
            label = 1.0 if sum(k % 3 - 1 for k in picked) + (i % 2) > 0 else 0.0
        else:
            indices = sorted(rng.sample(range(8), 3))
            features = {"indices": indices, "values": [rng.random() for _ in indices]}
            label = float(indices[0] % 3)
        yield {
            "modelId": model_id,
            "features": features,
            "label": label,
            "eventTime": START + datetime.timedelta(milliseconds=10 * i),
        }


def produce(args, codecs):
    spec_writer = codecs.writer(args.framing, MODEL_SPEC, args.specs_topic)
    if args.framing == CONFLUENT:
        sample_writer = codecs.writer(
            CONFLUENT, TRAINING_SAMPLE, args.samples_topic, more_fields=[PRODUCER_FIELD]
        )
        evolved = {"producer": "python"}
    else:
        sample_writer = codecs.writer(SINGLE_OBJECT, TRAINING_SAMPLE, args.samples_topic)
        evolved = {}
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True})
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(f"{message.topic()}: {error}")

    rng = random.Random(args.seed)
    summary = []
    for spec in specs(args.prefix):
        key = spec["modelId"].encode("utf-8")
        value = spec_writer.encode(spec)
        producer.produce(args.specs_topic, key=key, value=value, on_delivery=delivered)
        # The spec first: the trainer holds a model's samples until its spec arrives anyway.
        producer.flush()
        for sample in samples(spec, args.samples, rng):
            producer.produce(
                args.samples_topic,
                key=key,
                value=sample_writer.encode({**sample, **evolved}),
                timestamp=round(sample["eventTime"].timestamp() * 1000),
                on_delivery=delivered,
            )
            producer.poll(0)
        summary.append(
            {
                "modelId": spec["modelId"],
                "samples": args.samples,
                "batchSize": BATCH,
                "finalVersion": args.samples // BATCH,
            }
        )
    if producer.flush(30) > 0:
        raise SystemExit("records not delivered within 30 s")
    if failures:
        raise SystemExit("records not delivered: " + "; ".join(failures[:5]))
    for line in summary:
        print(json.dumps(line), flush=True)


def published_specs_topic(models_topic):
    """Where the trainer publishes the specs its versions on models_topic name by fingerprint."""
    return models_topic + "-published-specs"


def read_models(args, codecs):
    """The models topic and its published-specs topic up to their ends, through a
    VersionAssembler. One consumer reads both, in whatever order their records come: the
    assembler holds a version until its spec is there, and the spec until its version is."""
    specs_topic = published_specs_topic(args.models_topic)
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap_servers,
            "group.id": "streamsgd-example-" + uuid.uuid4().hex,
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "enable.partition.eof": True,
        }
    )
    assembler = VersionAssembler()
    try:
        partitions = []
        for name in (args.models_topic, specs_topic):
            topic = consumer.list_topics(name, timeout=30).topics[name]
            if name == specs_topic and topic.error is not None and topic.error.code() in (
                KafkaError.UNKNOWN_TOPIC_OR_PART,
                KafkaError._UNKNOWN_TOPIC,
            ):
                continue  # a trainer before published specs: its versions carry their spec
            if topic.error is not None:
                raise KafkaException(topic.error)
            partitions += [TopicPartition(name, p, 0) for p in topic.partitions]
        consumer.assign(partitions)
        at_end = set()
        while len(at_end) < len(partitions):
            message = consumer.poll(args.timeout)
            if message is None:
                topics = f"{args.models_topic} and {specs_topic}"
                raise SystemExit(f"no end of {topics} within {args.timeout} s")
            if message.error() is not None:
                if message.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add((message.topic(), message.partition()))
                    continue
                raise KafkaException(message.error())
            value = message.value()
            spec = message.topic() == specs_topic
            try:
                reader = codecs.published_spec if spec else codecs.model_update
                record = None if value is None else reader.decode(value)
            except (ValueError, RegistryError) as e:
                where = f"{message.topic()} partition {message.partition()} offset {message.offset()}"
                raise SystemExit(f"{where}: {e}") from None
            if spec:
                assembler.offer_spec(record)
            else:
                assembler.offer(record)
    finally:
        consumer.close()
    return assembler


def score(args, codecs):
    assembler = read_models(args, codecs)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        model_id = request["modelId"]
        model = assembler.complete.get(model_id)
        if model is None:
            print(json.dumps({"modelId": model_id, "error": "no such model"}), flush=True)
            continue
        try:
            output = model.predict(request["features"])
        except ValueError as e:
            print(json.dumps({"modelId": model_id, "error": str(e)}), flush=True)
            continue
        print(json.dumps({"modelId": model_id, "version": model.version, **output}), flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["produce", "score"])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schemas", default=DEFAULT_SCHEMA_DIR, help="folder of the .avsc files")
    parser.add_argument("--samples-topic", default="samples")
    parser.add_argument("--specs-topic", default="model-specs")
    parser.add_argument("--models-topic", default="models")
    parser.add_argument("--prefix", default="py", help="model ids start with it (produce)")
    parser.add_argument("--samples", type=int, default=200, help="samples per model (produce)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the broker")
    parser.add_argument(
        "--framing",
        choices=FRAMINGS,
        default=SINGLE_OBJECT,
        help="how produce frames its records (score reads both)",
    )
    parser.add_argument(
        "--registry-url",
        help="the schema registry's Confluent-compatible API (http://HOST:PORT/apis/ccompat/v7)",
    )
    args = parser.parse_args()
    if args.framing == CONFLUENT and not args.registry_url:
        parser.error("--framing confluent needs --registry-url URL, the schema registry's address")
    codecs = Codecs(args.schemas, registry_url=args.registry_url)
    try:
        if args.command == "produce":
            produce(args, codecs)
        else:
            score(args, codecs)
    except RegistryError as e:
        raise SystemExit(str(e)) from None


if __name__ == "__main__":
    main()
