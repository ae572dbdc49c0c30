"""Test helpers: an in-memory tracer provider and a running echo server."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from tracewire.trpc import Server, ServerCall, ServerInterceptor, TrpcError


def memory_provider() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


async def echo(call: ServerCall) -> bytes:
    return call.body


async def fail(call: ServerCall) -> bytes:
    raise TrpcError("echo: failure requested", func_ret=1)


async def boom(call: ServerCall) -> bytes:
    raise RuntimeError("deep inside")


async def sleep(call: ServerCall) -> bytes:
    await asyncio.sleep(int(call.body) / 1000)
    return call.body


async def meta(call: ServerCall) -> bytes:
    return json.dumps({k: v.decode("latin-1") for k, v in call.trans_info.items()}).encode()


HANDLERS = {
    "/trpc.test.echo.Echo/Echo": echo,
    "/trpc.test.echo.Echo/Fail": fail,
    "/trpc.test.echo.Echo/Boom": boom,
    "/trpc.test.echo.Echo/Sleep": sleep,
    "/trpc.test.echo.Echo/Meta": meta,
}


@contextlib.asynccontextmanager
async def running(
    handlers: dict[str, object] | None = None,
    interceptors: tuple[ServerInterceptor, ...] = (),
    **options: object,
) -> AsyncIterator[Server]:
    server = Server(handlers or HANDLERS, interceptors=interceptors, **options)  # type: ignore[arg-type]
    await server.start()
    try:
        yield server
    finally:
        await server.close(drain=1.0)
