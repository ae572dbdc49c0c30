"""Log correlation, the Flask host and configuration from OTEL_* variables."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import flask
import pytest
from helpers import HANDLERS, memory_provider, running
from opentelemetry.trace import SpanKind
from tracewire import telemetry
from tracewire.flask_host import TrpcHost, trace_flask_requests
from tracewire.logs import JsonFormatter, TraceContextFilter, TraceFormatter
from tracewire.tracing import client_interceptor, server_interceptor
from tracewire.trpc import Client


def _logger(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(TraceContextFilter())
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"tracewire.test.{id(out)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, out


def test_records_carry_the_current_span_ids_in_text_and_json() -> None:
    provider, _ = memory_provider()
    tracer = provider.get_tracer("t")
    text_logger, text = _logger(TraceFormatter())
    json_logger, js = _logger(JsonFormatter())
    with tracer.start_as_current_span("work") as span:
        text_logger.info("inside")
        json_logger.info("inside %s", "json", extra={"order": 7})
        ids = f"{span.get_span_context().trace_id:032x}", f"{span.get_span_context().span_id:016x}"
    text_logger.info("outside")
    lines = text.getvalue().splitlines()
    assert f"trace_id={ids[0]} span_id={ids[1]} inside" in lines[0]
    assert "trace_id= span_id= outside" in lines[1]
    record = json.loads(js.getvalue())
    assert (record["trace_id"], record["span_id"]) == ids
    assert record["message"] == "inside json" and record["order"] == 7


def test_flask_request_to_trpc_through_the_host_is_one_trace() -> None:
    provider, exporter = memory_provider()
    host = TrpcHost(HANDLERS, interceptors=(server_interceptor(provider),))
    port = host.start()
    app = flask.Flask("t")
    trace_flask_requests(app, provider)
    client = Client("127.0.0.1", port, interceptors=(client_interceptor(provider),))

    @app.get("/echo/<word>")
    def view(word: str) -> str:
        result = host.run(client.call("/trpc.test.echo.Echo/Echo", word.encode())).result(5)
        return result.body.decode()

    @app.get("/fail")
    def fail() -> str:
        raise ValueError("bad request data")

    try:
        with app.test_client() as http:
            traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            response = http.get("/echo/hi", headers={"traceparent": traceparent})
            assert response.data == b"hi"
            app.testing = False
            assert http.get("/fail").status_code == 500
    finally:
        host.run(client.close()).result(5)
        host.stop()
    spans = {(s.name, s.kind): s for s in exporter.get_finished_spans()}
    http_span = spans[("GET /echo/<word>", SpanKind.SERVER)]
    call = spans[("/trpc.test.echo.Echo/Echo", SpanKind.CLIENT)]
    served = spans[("/trpc.test.echo.Echo/Echo", SpanKind.SERVER)]
    assert http_span.parent.span_id == 0x00F067AA0BA902B7
    assert call.parent.span_id == http_span.context.span_id
    assert served.parent.span_id == call.context.span_id
    assert served.context.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    failed = spans[("GET /fail", SpanKind.SERVER)]
    assert failed.status.status_code.name == "ERROR"
    assert failed.attributes["http.response.status_code"] == 500


def test_configure_reads_the_service_name_and_obeys_sdk_disabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert telemetry.configure("x").tracer_provider is None
    monkeypatch.setenv("OTEL_SDK_DISABLED", "false")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "DataProcessor")
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    monkeypatch.setenv("OTEL_LOGS_EXPORTER", "none")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    monkeypatch.setenv("OTEL_PROPAGATORS", "b3multi")
    t = telemetry.configure("ignored", logs=False)
    try:
        assert t.tracer_provider is not None
        assert t.tracer_provider.resource.attributes["service.name"] == "DataProcessor"
        assert not t.tracer_provider.get_tracer("t").start_span("s").is_recording()
        from opentelemetry import propagate

        assert "x-b3-traceid" in propagate.get_global_textmap().fields
    finally:
        t.shutdown()


def test_a_handler_exception_is_logged_with_the_server_spans_ids(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider, exporter = memory_provider()

    async def main() -> None:
        async with running(interceptors=(server_interceptor(provider),)) as server:
            client = Client("127.0.0.1", server.port)
            await client.call("/trpc.test.echo.Echo/Boom", b"")
            await client.close()

    caplog.handler.addFilter(TraceContextFilter())
    with caplog.at_level(logging.WARNING, logger="tracewire.trpc.server"):
        asyncio.run(main())
    (record,) = [r for r in caplog.records if r.name == "tracewire.trpc.server"]
    (span,) = exporter.get_finished_spans()
    assert record.exc_info is not None and "deep inside" in str(record.exc_info[1])
    assert record.__dict__["trace_id"] == f"{span.context.trace_id:032x}"
    assert record.__dict__["span_id"] == f"{span.context.span_id:016x}"
