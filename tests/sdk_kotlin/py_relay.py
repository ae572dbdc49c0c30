"""A Python peer for the Kotlin SDK's interop test (InteropPythonTest): a tRPC server, traced
by the Python SDK's server interceptor, whose /trpc.test.relay.Relay/Relay handler calls
/trpc.test.echo.Echo/Echo on 127.0.0.1:<downstream port> through the Python SDK's client
interceptor (inject text, binary or both) and returns the answer; /Relay/Fail raises three calls
deep. Exports spans over OTLP as OTEL_* says. Prints `listening on 127.0.0.1:PORT`.

usage: py_relay.py DOWNSTREAM_PORT {text,binary,both}
"""

import asyncio
import sys

from tracewire import telemetry
from tracewire.tracing import client_interceptor, server_interceptor
from tracewire.trpc import Client, Server, ServerCall


def parse(data: bytes) -> int:
    return int(data.decode())  # ValueError on a non-number


def validate(data: bytes) -> int:
    return parse(data)


async def main(downstream_port: int, inject: str) -> None:
    downstream = Client(
        "127.0.0.1",
        downstream_port,
        caller="trpc.test.relay.Relay",
        interceptors=[client_interceptor(inject=inject)],  # type: ignore[arg-type]
    )

    async def relay(call: ServerCall) -> bytes:
        answer = await downstream.call("/trpc.test.echo.Echo/Echo", call.body)
        return answer.raise_for_status().body

    async def fail(call: ServerCall) -> bytes:
        return str(validate(call.body)).encode()

    server = Server(
        {"/trpc.test.relay.Relay/Relay": relay, "/trpc.test.relay.Relay/Fail": fail},
        interceptors=[server_interceptor()],
    )
    await server.start()
    print(f"listening on 127.0.0.1:{server.port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    t = telemetry.configure("py-relay", logs=False)
    try:
        asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
    except KeyboardInterrupt:
        pass
    finally:
        t.shutdown()
