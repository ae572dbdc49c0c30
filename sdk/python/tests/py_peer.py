"""The Python side of the interop tests, as its own process configured only by OTEL_* variables
(tracewire.telemetry.configure), like a real service:

    py_peer.py serve                      # prints "listening on 127.0.0.1:PORT"; SIGTERM stops
    py_peer.py call HOST:PORT FUNC DATA [text|binary|both]   # prints "trace_id: ..." and the body

serve: /trpc.test.echo.Echo/Echo echoes (logging a line), /trpc.test.echo.Echo/Fail raises
ValueError three calls deep (logging an error first), /trpc.test.echo.Echo/Meta returns the
inbound trans_info as JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys

from opentelemetry import trace
from tracewire import telemetry
from tracewire.tracing import client_interceptor, server_interceptor
from tracewire.trpc import Client, Server, ServerCall

log = logging.getLogger("py_peer")


async def echo(call: ServerCall) -> bytes:
    log.info("echo handled %d bytes", len(call.body))
    return call.body


def _parse(data: bytes) -> int:
    return int(data)  # ValueError on anything but a number


def _validate(data: bytes) -> int:
    return _parse(data) * 2


async def fail(call: ServerCall) -> bytes:
    log.error("about to validate %r", call.body)
    return str(_validate(call.body)).encode()


async def meta(call: ServerCall) -> bytes:
    return json.dumps({k: v.decode("latin-1") for k, v in call.trans_info.items()}).encode()


async def serve() -> None:
    server = Server(
        {
            "/trpc.test.echo.Echo/Echo": echo,
            "/trpc.test.echo.Echo/Fail": fail,
            "/trpc.test.echo.Echo/Meta": meta,
        },
        interceptors=[server_interceptor()],
    )
    await server.start()
    print(f"listening on 127.0.0.1:{server.port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.close()


async def call(target: str, func: str, data: str, inject: str) -> None:
    host, _, port = target.rpartition(":")
    tracer = trace.get_tracer("py_peer")
    with tracer.start_as_current_span("py-call") as span:
        print(f"trace_id: {span.get_span_context().trace_id:032x}", flush=True)
        async with Client(
            host,
            int(port),
            caller="py.peer",
            interceptors=[client_interceptor(inject=inject)],  # type: ignore[arg-type]
        ) as client:
            result = await client.call(func, data.encode())
    print(f"ret: {result.ret} func_ret: {result.func_ret}\n{result.body.decode('latin-1')}")


def main() -> None:
    t = telemetry.configure("py-peer")
    logging.getLogger().addHandler(logging.StreamHandler(sys.stderr))
    try:
        if sys.argv[1] == "serve":
            asyncio.run(serve())
        else:
            inject = sys.argv[5] if len(sys.argv) > 5 else "text"
            asyncio.run(call(sys.argv[2], sys.argv[3], sys.argv[4], inject))
    finally:
        t.shutdown()


if __name__ == "__main__":
    main()
