#!/usr/bin/env python3
"""Real-clients test, Python: the SCENARIO.md scenario through the official OpenTelemetry SDK.

  client.py --endpoint URL --protocol http/protobuf|http/json|grpc --run-id ID

Exports through the SDK's own OTLP exporters (opentelemetry-exporter-otlp-proto-http,
-proto-grpc and opentelemetry-exporter-otlp-json-http), flushes, shuts down, then prints one JSON
document (SCENARIO.md, "Expectation document") on stdout. Exit 1 when force_flush times out (the
Python SDK logs failed exports but does not report them there: the checks catch missing data).
"""

import argparse
import base64
import json
import sys
import time

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.version import __version__ as SDK_VERSION
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

SCOPE_NAME = "tracewire.realclients"
SCOPE_VERSION = "1.2.3"
MS = 1_000_000


def any_value(v):
    """Native value -> OTLP JSON AnyValue (the form the checker compares against)."""
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    if isinstance(v, str):
        return {"stringValue": v}
    if isinstance(v, bytes):
        return {"bytesValue": base64.b64encode(v).decode()}
    if isinstance(v, (list, tuple)):
        return {"arrayValue": {"values": [any_value(x) for x in v]}}
    if isinstance(v, dict):
        return {"kvlistValue": {"values": kvs(v)}}
    raise TypeError(type(v))


def kvs(d):
    return [{"key": k, "value": any_value(v)} for k, v in d.items()]


def make_exporters(protocol, endpoint):
    base = endpoint.rstrip("/")
    if protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=base + "/v1/traces"),
            OTLPLogExporter(endpoint=base + "/v1/logs"),
        )
    if protocol == "http/json":
        from opentelemetry.exporter.otlp.json.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=base + "/v1/traces"),
            OTLPLogExporter(endpoint=base + "/v1/logs"),
        )
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=base, insecure=True),
            OTLPLogExporter(endpoint=base, insecure=True),
        )
    raise SystemExit(f"unknown protocol {protocol}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--protocol", required=True, choices=["http/protobuf", "http/json", "grpc"])
    ap.add_argument("--run-id", required=True)
    args = ap.parse_args()

    service = "rc-python-" + args.protocol.replace("/", "-")
    res_attrs = {
        "service.name": service,
        "rc.run_id": args.run_id,
        "rc.lang": "python",
        "rc.res.int": 42,
        "rc.res.double": 2.5,
        "rc.res.bool": True,
        "rc.res.strs": ["a", "b"],
    }
    resource = Resource.create(res_attrs)
    scope_attrs = {"rc.scope.str": "scope-value"}
    span_exporter, log_exporter = make_exporters(args.protocol, args.endpoint)
    tp = TracerProvider(resource=resource)
    tp.add_span_processor(BatchSpanProcessor(span_exporter))
    lp = LoggerProvider(resource=resource)
    lp.add_log_record_processor(BatchLogRecordProcessor(log_exporter))
    tracer = tp.get_tracer(SCOPE_NAME, SCOPE_VERSION, attributes=scope_attrs)
    logger = lp.get_logger(SCOPE_NAME, SCOPE_VERSION, attributes=scope_attrs)

    t0 = (time.time_ns() // MS - 2000) * MS
    spans = []

    def record(span, parent, name, kind, start, end, attrs, events=(), links=(), status=(0, "")):
        sc = span.get_span_context()
        spans.append(
            {
                "trace_id": format(sc.trace_id, "032x"),
                "span_id": format(sc.span_id, "016x"),
                "parent_span_id": format(parent.get_span_context().span_id, "016x")
                if parent
                else "",
                "name": name,
                "kind": int(kind.value) + 1,
                "start_time_unix_nano": str(start),
                "end_time_unix_nano": str(end),
                "attributes": kvs(attrs),
                "events": list(events),
                "links": list(links),
                "status": {"code": status[0], "message": status[1]},
            }
        )

    # Trace B: the link target.
    b_attrs = {"rc.role": "link-target"}
    sb = tracer.start_span(
        "rc.linked-target",
        kind=SpanKind.INTERNAL,
        attributes=b_attrs,
        start_time=t0,
        context=otel_context.Context(),
    )
    sb.end(end_time=t0 + 5 * MS)
    record(sb, None, "rc.linked-target", SpanKind.INTERNAL, t0, t0 + 5 * MS, b_attrs)

    # Trace A.
    s1_attrs = {"rc.role": "root", "http.request.method": "GET", "http.response.status_code": 200}
    s1 = tracer.start_span(
        "rc.server",
        kind=SpanKind.SERVER,
        attributes=s1_attrs,
        start_time=t0,
        context=otel_context.Context(),
    )
    ctx1 = trace.set_span_in_context(s1)
    s2_attrs = {
        "rc.str": "hello",
        "rc.bool": True,
        "rc.int": 7,
        "rc.int_neg": -5,
        "rc.int_big": 1234567890123,
        "rc.double": 3.25,
        "rc.strs": ["x", "y"],
        "rc.bools": [True, False],
        "rc.ints": [1, 2, 3],
        "rc.doubles": [1.5, 2.5],
        "rc.bytes": b"\x01\x02\xff",
        "rc.map": {"k": "v", "n": 1},
    }
    s2 = tracer.start_span(
        "rc.client",
        context=ctx1,
        kind=SpanKind.CLIENT,
        attributes=s2_attrs,
        start_time=t0 + 10 * MS,
    )
    ctx2 = trace.set_span_in_context(s2)
    link_attrs = {"rc.link.str": "linked", "rc.link.int": 1}
    s3_attrs = {"rc.role": "grandchild"}
    s3 = tracer.start_span(
        "rc.consume",
        context=ctx2,
        kind=SpanKind.CONSUMER,
        attributes=s3_attrs,
        start_time=t0 + 20 * MS,
        links=[Link(sb.get_span_context(), link_attrs)],
    )
    try:
        raise RuntimeError("boom: something failed")
    except RuntimeError as exc:
        s3.record_exception(exc, timestamp=t0 + 25 * MS)
    ev_attrs = {
        "rc.event.str": "ev",
        "rc.event.int": 5,
        "rc.event.bool": False,
        "rc.event.double": 0.5,
        "rc.event.strs": ["e1", "e2"],
    }
    s3.add_event("rc.event", attributes=ev_attrs, timestamp=t0 + 30 * MS)
    s3.set_status(Status(StatusCode.ERROR, "boom: something failed"))

    # Logs: one tied to s3 through the context, one with no span at all.
    log1_attrs = {
        "rc.log.str": "a",
        "rc.log.int": 3,
        "rc.log.double": 1.25,
        "rc.log.bool": True,
        "rc.log.strs": ["p", "q"],
    }
    logger.emit(
        timestamp=t0 + 40 * MS,
        context=trace.set_span_in_context(s3),
        severity_number=SeverityNumber.ERROR,
        severity_text="ERROR",
        body="consume failed for order 42",
        attributes=log1_attrs,
    )
    log2_body = {"msg": "rc startup", "count": 2}
    log2_attrs = {
        "rc.log.str": "b",
        "rc.log.bytes": b"\x01\x02\xff",
        "rc.log.map": {"k": "v", "n": 1},
    }
    logger.emit(
        timestamp=t0 + 5 * MS,
        context=otel_context.Context(),
        severity_number=SeverityNumber.INFO,
        severity_text="INFO",
        body=log2_body,
        attributes=log2_attrs,
    )

    s3.end(end_time=t0 + 50 * MS)
    s2.end(end_time=t0 + 60 * MS)
    s4_attrs = {"rc.role": "producer", "rc.queue": "orders"}
    s4 = tracer.start_span(
        "rc.produce",
        context=ctx1,
        kind=SpanKind.PRODUCER,
        attributes=s4_attrs,
        start_time=t0 + 65 * MS,
    )
    s4.set_status(Status(StatusCode.OK))
    s4.end(end_time=t0 + 90 * MS)
    s1.end(end_time=t0 + 100 * MS)

    record(s1, None, "rc.server", SpanKind.SERVER, t0, t0 + 100 * MS, s1_attrs)
    record(s2, s1, "rc.client", SpanKind.CLIENT, t0 + 10 * MS, t0 + 60 * MS, s2_attrs)
    sbc = sb.get_span_context()
    record(
        s3,
        s2,
        "rc.consume",
        SpanKind.CONSUMER,
        t0 + 20 * MS,
        t0 + 50 * MS,
        s3_attrs,
        events=[
            {
                "name": "exception",
                "time_unix_nano": str(t0 + 25 * MS),
                "attributes": kvs(
                    {
                        "exception.type": "RuntimeError",
                        "exception.message": "boom: something failed",
                    }
                ),
                "required_keys": ["exception.stacktrace"],
            },
            {
                "name": "rc.event",
                "time_unix_nano": str(t0 + 30 * MS),
                "attributes": kvs(ev_attrs),
                "required_keys": [],
            },
        ],
        links=[
            {
                "trace_id": format(sbc.trace_id, "032x"),
                "span_id": format(sbc.span_id, "016x"),
                "attributes": kvs(link_attrs),
            }
        ],
        status=(2, "boom: something failed"),
    )
    record(
        s4,
        s1,
        "rc.produce",
        SpanKind.PRODUCER,
        t0 + 65 * MS,
        t0 + 90 * MS,
        s4_attrs,
        status=(1, ""),
    )

    s3c = s3.get_span_context()
    logs = [
        {
            "trace_id": format(s3c.trace_id, "032x"),
            "span_id": format(s3c.span_id, "016x"),
            "time_unix_nano": str(t0 + 40 * MS),
            "severity_number": 17,
            "severity_text": "ERROR",
            "body": any_value("consume failed for order 42"),
            "attributes": kvs(log1_attrs),
        },
        {
            "trace_id": "",
            "span_id": "",
            "time_unix_nano": str(t0 + 5 * MS),
            "severity_number": 9,
            "severity_text": "INFO",
            "body": any_value(log2_body),
            "attributes": kvs(log2_attrs),
        },
    ]

    ok = tp.force_flush(10_000) and lp.force_flush(10_000)
    tp.shutdown()
    lp.shutdown()
    doc = {
        "lang": "python",
        "protocol": args.protocol,
        "run_id": args.run_id,
        "sdk": f"opentelemetry-python {SDK_VERSION}",
        "service_name": service,
        "resource": {"attributes": kvs(res_attrs)},
        "scope": {"name": SCOPE_NAME, "version": SCOPE_VERSION, "attributes": kvs(scope_attrs)},
        "spans": spans,
        "logs": logs,
        "skipped": [],
    }
    print(json.dumps(doc))
    if not ok:
        print("python client: force_flush reported failure", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
