#!/usr/bin/env python3
"""Cost of the Python SDK's tracing (sdk/python) beside the official OpenTelemetry Python SDK
doing the same work, in the same process and run: span start+end, the server and client
interceptors around a no-op call, and context inject/extract (traceparent, baggage, the
interceptors' composite, grpc-trace-bin).

    build/sdk-python-venv/bin/python bench/sdk_python/interceptors_bench.py [--runs 7]
        [--seconds 0.2] [--only SUBSTRING] [--json OUT.json]

Every row is the median over --runs runs of the time per operation (each run repeats the
operation for about --seconds). Spans go to an SDK TracerProvider (always_on sampler) with one
SpanProcessor that drops them, so the figures are the SDK's span cost, not an exporter's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from opentelemetry.baggage.propagation import W3CBaggagePropagator as OtelBaggage
from opentelemetry.context import Context
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from tracewire.propagation import (
    TRANS_INFO_GETTER,
    TRANS_INFO_SETTER,
    GrpcTraceBinPropagator,
    W3CBaggagePropagator,
    W3CTraceContextPropagator,
)
from tracewire.tracing import client_interceptor, extract_propagator, server_interceptor
from tracewire.trpc.call import CallResult, ClientRequest, ServerCall
from tracewire.trpc.protocol import RequestHead

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
BAGGAGE10 = ",".join(f"key{i}=value{i}" for i in range(10))
FUNC = "/trpc.test.echo.Echo/Echo"


class Drop(SpanProcessor):
    def on_end(self, span: ReadableSpan) -> None:
        pass


def provider() -> TracerProvider:
    p = TracerProvider()
    p.add_span_processor(Drop())
    return p


def timer(fn: Callable[[], object], seconds: float) -> Callable[[], float]:
    """Calibrates a batch of about `seconds` for fn; the result runs one batch -> ns per call."""
    n = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        if time.perf_counter_ns() - t0 > seconds * 1e9 / 4:
            break
        n *= 2
    n *= 4

    def run() -> float:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        return (time.perf_counter_ns() - t0) / n

    return run


def async_timer(make: Callable[[], Awaitable[object]], seconds: float) -> Callable[[], float]:
    """Like timer, for a coroutine awaited in a loop inside one event loop (one loop per batch)."""

    async def batch(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            await make()
        return time.perf_counter_ns() - t0

    async def calibrate() -> int:
        n = 1
        while await batch(n) < seconds * 1e9 / 4:
            n *= 2
        return n * 4

    n = asyncio.run(calibrate())
    return lambda: asyncio.run(batch(n)) / n


def server_attributes() -> dict[str, str | int | bool]:
    return {
        "rpc.system": "trpc",
        "rpc.service": "trpc.test.echo.Echo",
        "rpc.method": "Echo",
        "server.address": "127.0.0.1",
        "server.port": 8000,
        "network.peer.address": "127.0.0.1",
        "network.peer.port": 40000,
        "trpc.caller_service": "trpc.app.server.service",
        "trpc.callee_service": "trpc.test.echo.Echo",
        "trpc.callee_method": "Echo",
        "trpc.status_code": 0,
        "trpc.status_type": 0,
    }


Row = tuple[str, str, float | None, float | None]


def rows(runs: int, seconds: float, only: str) -> list[Row]:
    """(group, what, ours ns or None, official ns or None)."""
    tp = provider()
    tracer = tp.get_tracer("bench")
    official_tc = TraceContextTextMapPropagator()
    official_bag = OtelBaggage()
    official_composite = CompositePropagator([official_tc, official_bag])
    ours_tc = W3CTraceContextPropagator()
    ours_bag = W3CBaggagePropagator()
    ours_bin = GrpcTraceBinPropagator()
    ours_server_extract = extract_propagator()
    attrs = server_attributes()
    out: list[Row] = []

    def add(
        group: str,
        what: str,
        ours: Callable[[], float] | None,
        official: Callable[[], float] | None,
    ) -> None:
        if only and only not in f"{group} {what}":
            return
        timers = [t for t in (ours, official) if t is not None]
        samples: list[list[float]] = [[] for _ in timers]
        for _ in range(runs):  # interleaved, so drift of a noisy machine hits both alike
            for t, got in zip(timers, samples, strict=True):
                got.append(t())
        medians = iter([statistics.median(x) for x in samples])
        o = next(medians) if ours is not None else None
        ref = next(medians) if official is not None else None
        out.append((group, what, o, ref))
        ratio = f"{o / ref:5.2f}x" if o and ref else "   - "
        o_text = f"{o / 1000:8.2f}" if o else "       -"
        ref_text = f"{ref / 1000:8.2f}" if ref else "       -"
        print(f"{group:<8} {what:<62} {o_text} {ref_text}  {ratio}", flush=True)

    print(f"{'group':<8} {'what':<62} {'ours µs':>8} {'otel µs':>8}  ratio")

    # -- span start+end
    def bare() -> None:
        with tracer.start_as_current_span("op"):
            pass

    def with_attrs() -> None:
        with tracer.start_as_current_span(FUNC, kind=SpanKind.SERVER, attributes=attrs):
            pass

    add(
        "span",
        "official SDK alone: start_as_current_span + end, bare",
        None,
        timer(bare, seconds),
    )
    add(
        "span",
        "official SDK alone: SERVER span with 12 attributes + end",
        None,
        timer(with_attrs, seconds),
    )

    # -- interceptors around a no-op handler / transport vs the same work by hand
    server = server_interceptor(tp)
    head = RequestHead(
        request_id=1,
        timeout=1000,
        caller="trpc.app.server.service",
        callee="trpc.test.echo.Echo",
        func=FUNC,
        trans_info={"traceparent": TRACEPARENT.encode()},
    )
    call = ServerCall(head, b"", b"", "127.0.0.1", 8000, "127.0.0.1", 40000)

    async def handler(_: ServerCall) -> bytes:
        return b""

    str_carrier = {"traceparent": TRACEPARENT}

    async def official_server() -> bytes:
        ctx = official_composite.extract(str_carrier)
        with tracer.start_as_current_span(
            FUNC, context=ctx, kind=SpanKind.SERVER, attributes=attrs
        ):
            return await handler(call)

    add(
        "server",
        "interceptor: extract (W3C+bin+B3+baggage) + SERVER span + end",
        async_timer(lambda: server(call, handler), seconds),
        async_timer(official_server, seconds),
    )

    client = client_interceptor(tp, inject="text")

    async def invoke(_: ClientRequest) -> CallResult:
        return CallResult()

    def request() -> ClientRequest:
        return ClientRequest(FUNC, b"", "trpc.test.echo.Echo", "py", {}, 1000, "127.0.0.1", 8000)

    async def official_client() -> CallResult:
        r = request()
        with tracer.start_as_current_span(FUNC, kind=SpanKind.CLIENT, attributes=attrs):
            official_composite.inject(r.trans_info)
            return await invoke(r)

    add(
        "client",
        "interceptor: CLIENT span + inject text + end",
        async_timer(lambda: client(request(), invoke), seconds),
        async_timer(official_client, seconds),
    )

    # -- inject / extract alone
    bytes_carrier = {"traceparent": TRACEPARENT.encode()}
    add(
        "extract",
        "traceparent (ours: trans_info bytes; otel: dict of str)",
        timer(lambda: ours_tc.extract(bytes_carrier, Context(), TRANS_INFO_GETTER), seconds),
        timer(lambda: official_tc.extract(str_carrier, Context()), seconds),
    )
    ctx = ours_tc.extract(bytes_carrier, Context(), TRANS_INFO_GETTER)
    add(
        "inject",
        "traceparent",
        timer(lambda: ours_tc.inject({}, ctx, TRANS_INFO_SETTER), seconds),
        timer(lambda: official_tc.inject({}, ctx), seconds),
    )
    bag_bytes = {"baggage": BAGGAGE10.encode()}
    bag_str = {"baggage": BAGGAGE10}
    add(
        "extract",
        "baggage, 10 entries",
        timer(lambda: ours_bag.extract(bag_bytes, Context(), TRANS_INFO_GETTER), seconds),
        timer(lambda: official_bag.extract(bag_str, Context()), seconds),
    )
    bctx = official_bag.extract(bag_str, Context())
    add(
        "inject",
        "baggage, 10 entries",
        timer(lambda: ours_bag.inject({}, bctx, TRANS_INFO_SETTER), seconds),
        timer(lambda: official_bag.inject({}, bctx), seconds),
    )
    both_bytes = {"traceparent": TRACEPARENT.encode(), "baggage": BAGGAGE10.encode()}
    both_str = {"traceparent": TRACEPARENT, "baggage": BAGGAGE10}
    add(
        "extract",
        "server composite vs otel tracecontext,baggage (traceparent+10 baggage)",
        timer(
            lambda: ours_server_extract.extract(both_bytes, Context(), TRANS_INFO_GETTER),
            seconds,
        ),
        timer(lambda: official_composite.extract(both_str, Context()), seconds),
    )
    bin_carrier: dict[str, bytes] = {}
    ours_bin.inject(bin_carrier, ctx, TRANS_INFO_SETTER)
    add(
        "extract",
        "grpc-trace-bin raw (no official Python propagator)",
        timer(lambda: ours_bin.extract(bin_carrier, Context(), TRANS_INFO_GETTER), seconds),
        None,
    )
    add(
        "inject",
        "grpc-trace-bin raw (no official Python propagator)",
        timer(lambda: ours_bin.inject({}, ctx, TRANS_INFO_SETTER), seconds),
        None,
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=0.2)
    ap.add_argument("--only", default="")
    ap.add_argument("--json")
    args = ap.parse_args()
    print(
        f"python {sys.version.split()[0]}, opentelemetry-sdk "
        f"{__import__('opentelemetry.sdk.version', fromlist=['x']).__version__}, "
        f"medians of {args.runs} runs of ~{args.seconds} s",
        flush=True,
    )
    result = rows(args.runs, args.seconds, args.only)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                [{"group": g, "what": w, "ours_ns": o, "otel_ns": r} for g, w, o, r in result],
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
