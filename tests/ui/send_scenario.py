#!/usr/bin/env python3
"""Browser-test scenario, sent through the official OpenTelemetry Python SDK over OTLP/HTTP.

  send_scenario.py --endpoint http://127.0.0.1:4318

Three services (one TracerProvider each, so each has its own resource): a checkout that fails
four calls deep in "payments" with a real Python exception (record_exception: type, message,
stack trace) and log records on that span, plus a healthy trace. Prints the ids as JSON.
"""

import argparse
import json
import sys
import time

from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

MS = 1_000_000


class CardDeclined(Exception):
    pass


def charge(amount):
    return authorize(amount)


def authorize(amount):
    raise CardDeclined(f"card declined for amount {amount}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    args = ap.parse_args()
    base = args.endpoint.rstrip("/")

    providers = {}
    loggers = {}
    log_providers = []
    for service in ("ui-gateway", "ui-orders", "ui-payments"):
        resource = Resource.create({"service.name": service, "deployment.environment": "test"})
        tp = TracerProvider(resource=resource)
        tp.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=base + "/v1/traces")))
        providers[service] = tp
        lp = LoggerProvider(resource=resource)
        lp.add_log_record_processor(
            BatchLogRecordProcessor(OTLPLogExporter(endpoint=base + "/v1/logs"))
        )
        log_providers.append(lp)
        loggers[service] = lp.get_logger("tracewire.uitest")

    def tracer(service):
        return providers[service].get_tracer("tracewire.uitest", "1.0")

    t0 = (time.time_ns() // MS - 5000) * MS

    # The failing checkout: gateway → orders → payments, exception four spans deep.
    root = tracer("ui-gateway").start_span(
        "GET /checkout",
        kind=SpanKind.SERVER,
        start_time=t0,
        attributes={"http.request.method": "GET", "http.route": "/checkout"},
    )
    ctx = trace.set_span_in_context(root)
    call = tracer("ui-gateway").start_span(
        "call orders",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=t0 + 5 * MS,
        attributes={"rpc.system": "trpc"},
    )
    orders = tracer("ui-orders").start_span(
        "POST /orders",
        context=trace.set_span_in_context(call),
        kind=SpanKind.SERVER,
        start_time=t0 + 8 * MS,
    )
    validate = tracer("ui-orders").start_span(
        "validate cart", context=trace.set_span_in_context(orders), start_time=t0 + 10 * MS
    )
    validate.end(end_time=t0 + 20 * MS)
    pay = tracer("ui-orders").start_span(
        "call payments",
        context=trace.set_span_in_context(orders),
        kind=SpanKind.CLIENT,
        start_time=t0 + 22 * MS,
    )
    deep = tracer("ui-payments").start_span(
        "charge card",
        context=trace.set_span_in_context(pay),
        kind=SpanKind.SERVER,
        start_time=t0 + 25 * MS,
        attributes={"payment.amount": 42.5},
    )
    deep_ctx = trace.set_span_in_context(deep)
    loggers["ui-payments"].emit(
        timestamp=t0 + 30 * MS,
        context=deep_ctx,
        severity_number=SeverityNumber.INFO,
        severity_text="INFO",
        body="charging card for order 42",
    )
    try:
        charge(42.5)
    except CardDeclined as exc:
        deep.record_exception(exc, timestamp=t0 + 40 * MS)
        deep.set_status(Status(StatusCode.ERROR, str(exc)))
        loggers["ui-payments"].emit(
            timestamp=t0 + 41 * MS,
            context=deep_ctx,
            severity_number=SeverityNumber.ERROR,
            severity_text="ERROR",
            body="payment failed: card declined",
        )
    deep.end(end_time=t0 + 45 * MS)
    pay.set_status(Status(StatusCode.ERROR, "payments failed"))
    pay.end(end_time=t0 + 47 * MS)
    loggers["ui-gateway"].emit(
        timestamp=t0 + 2 * MS,
        context=ctx,
        severity_number=SeverityNumber.INFO,
        severity_text="INFO",
        body="checkout started",
    )
    orders.end(end_time=t0 + 50 * MS)
    call.end(end_time=t0 + 52 * MS)
    root.set_status(Status(StatusCode.ERROR, "checkout failed"))
    root.end(end_time=t0 + 55 * MS)

    # A healthy trace.
    home = tracer("ui-gateway").start_span(
        "GET /home", kind=SpanKind.SERVER, start_time=t0 + 1000 * MS
    )
    hctx = trace.set_span_in_context(home)
    for k in range(3):
        child = tracer("ui-gateway").start_span(
            f"render widget {k}", context=hctx, start_time=t0 + (1001 + k * 3) * MS
        )
        child.end(end_time=t0 + (1003 + k * 3) * MS)
    home.end(end_time=t0 + 1012 * MS)
    # An orphan: its parent (a span of a service that never exported) never arrives.
    lost = trace.SpanContext(
        trace_id=home.get_span_context().trace_id,
        span_id=0x00000000DEADBEEF,
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )
    orphan = tracer("ui-orders").start_span(
        "GET /recommendations",
        kind=SpanKind.SERVER,
        context=trace.set_span_in_context(trace.NonRecordingSpan(lost)),
        start_time=t0 + 1004 * MS,
    )
    orphan.end(end_time=t0 + 1008 * MS)

    ok = all(tp.force_flush(10_000) for tp in providers.values())
    ok = all(lp.force_flush(10_000) for lp in log_providers) and ok
    for tp in providers.values():
        tp.shutdown()
    for lp in log_providers:
        lp.shutdown()
    hex_of = lambda s: format(s.get_span_context().span_id, "016x")  # noqa: E731
    print(
        json.dumps(
            {
                "failing": format(root.get_span_context().trace_id, "032x"),
                "healthy": format(home.get_span_context().trace_id, "032x"),
                "deepSpan": hex_of(deep),
                "rootSpan": hex_of(root),
                "ordersSpan": hex_of(orders),
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
