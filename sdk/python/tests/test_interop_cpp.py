"""Interop with the C++ runtime through a real OTLP receiver (`tracewire serve`): the C++
`tracewire call` client -> the Python server, the Python client -> the C++ trpc_echo_server,
and a chain through both; spans and logs are read back by trace id from the query API.
Skipped unless TRACEWIRE_BIN and TRPC_ECHO_SERVER_BIN name the built binaries (ctest sets them:
tests/sdk_python)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from cpp_peers import ECHO_BIN, TRACEWIRE_BIN, EchoServer, Peer, Serve, tracewire_call

pytestmark = pytest.mark.skipif(
    not (TRACEWIRE_BIN and ECHO_BIN), reason="TRACEWIRE_BIN / TRPC_ECHO_SERVER_BIN not set"
)
PEER = os.path.join(os.path.dirname(__file__), "py_peer.py")
SERVER, CLIENT = 2, 3  # OTLP span kinds


def _py_env(serve: Serve, service: str) -> dict[str, str]:
    return {
        "OTEL_SERVICE_NAME": service,
        "OTEL_EXPORTER_OTLP_ENDPOINT": serve.otlp_http,
        "OTEL_BSP_SCHEDULE_DELAY": "50",
        "OTEL_BLRP_SCHEDULE_DELAY": "50",
    }


@pytest.fixture(scope="module")
def serve() -> Iterator[Serve]:
    s = Serve()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def py_server(serve: Serve) -> Iterator[Peer]:
    p = Peer(
        [sys.executable, PEER, "serve"], _py_env(serve, "py-data"), [r"listening on [\d.]+:(\d+)"]
    )
    yield p
    p.stop()


def _one(spans: list[dict[str, Any]], service: str, kind: int) -> dict[str, Any]:
    found = [s for s in spans if s["service"] == service and s["kind"] == kind]
    assert len(found) == 1, (service, kind, spans)
    return found[0]


def _attr(span: dict[str, Any], key: str) -> Any:
    for a in span.get("attributes", []):
        if a["key"] == key:
            return next(iter(a["value"].values()))
    return None


@pytest.mark.parametrize("inject", ["text", "binary", "both"])
def test_cpp_client_span_parents_the_python_server_span(
    serve: Serve, py_server: Peer, inject: str
) -> None:
    trace_id = tracewire_call(
        serve.otlp_http, int(py_server.found[0]), "/trpc.test.echo.Echo/Echo", "hello", inject
    )
    spans = serve.spans(trace_id, 2)
    client = _one(spans, "cpp-call", CLIENT)
    server = _one(spans, "py-data", SERVER)
    assert server["parentSpanId"] == client["spanId"]
    assert _attr(server, "rpc.system") == "trpc"
    assert _attr(server, "rpc.method") == "Echo"
    logs = serve.logs(trace_id, 1)
    assert any(r.get("spanId") == server["spanId"] for r in logs), logs


def test_python_exception_three_calls_deep_is_an_error_span_with_logs(
    serve: Serve, py_server: Peer
) -> None:
    trace_id = tracewire_call(
        serve.otlp_http,
        int(py_server.found[0]),
        "/trpc.test.echo.Echo/Fail",
        "not-a-number",
        "text",
    )
    server = _one(serve.spans(trace_id, 2), "py-data", SERVER)
    assert server["status"]["code"] == 2  # ERROR
    (event,) = [e for e in server.get("events", []) if e["name"] == "exception"]
    assert _attr(event, "exception.type") == "ValueError"
    stack = _attr(event, "exception.stacktrace")
    assert "_parse" in stack and "_validate" in stack and "fail" in stack
    logs = serve.logs(trace_id, 1)
    messages = [r["body"].get("stringValue", "") for r in logs]
    assert any("about to validate" in m for m in messages), messages


def _py_call(serve: Serve, port: int, func: str, inject: str) -> str:
    out = subprocess.run(
        [sys.executable, PEER, "call", f"127.0.0.1:{port}", func, "hi", inject],
        env={**os.environ, **_py_env(serve, "py-gateway")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "ret: 0 func_ret: 0" in out.stdout, out.stdout + out.stderr
    return out.stdout.split("trace_id: ")[1][:32]


@pytest.mark.parametrize("inject", ["text", "binary"])
def test_python_client_span_parents_the_cpp_server_span(serve: Serve, inject: str) -> None:
    echo = EchoServer(serve.otlp_http)
    try:
        trace_id = _py_call(serve, echo.port, "/trpc.test.echo.Echo/Echo", inject)
        spans = serve.spans(trace_id, 3)
    finally:
        echo.stop()
    client = _one(spans, "py-gateway", CLIENT)
    server = _one(spans, "cpp-echo", SERVER)
    assert server["parentSpanId"] == client["spanId"]
    assert _attr(client, "rpc.system") == "trpc"


def test_python_to_cpp_to_python_is_one_trace(serve: Serve, py_server: Peer) -> None:
    echo = EchoServer(
        serve.otlp_http, downstream=f"127.0.0.1:{py_server.found[0]}", inject="binary"
    )
    try:
        trace_id = _py_call(serve, echo.port, "/trpc.test.echo.Echo/Echo", "text")
        spans = serve.spans(trace_id, 5)
    finally:
        echo.stop()
    py_client = _one(spans, "py-gateway", CLIENT)
    cpp_server = _one(spans, "cpp-echo", SERVER)
    cpp_client = _one(spans, "cpp-echo", CLIENT)
    py_server_span = _one(spans, "py-data", SERVER)
    assert cpp_server["parentSpanId"] == py_client["spanId"]
    assert cpp_client["parentSpanId"] == cpp_server["spanId"]
    assert py_server_span["parentSpanId"] == cpp_client["spanId"]
