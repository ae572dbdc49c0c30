"""The tracing interceptors: parentage over trans_info (text and binary), attributes, errors,
context across asyncio tasks and downstream calls."""

from __future__ import annotations

import asyncio

from helpers import HANDLERS, memory_provider, running
from opentelemetry import baggage, context, trace
from opentelemetry.trace import SpanKind, StatusCode
from tracewire.tracing import client_interceptor, server_interceptor
from tracewire.trpc import Client, ServerCall


def _by_kind(spans: tuple[object, ...], kind: SpanKind) -> list[object]:
    return [s for s in spans if s.kind == kind]  # type: ignore[attr-defined]


def _run_pair(inject: str, func: str = "/trpc.test.echo.Echo/Echo") -> tuple[object, object]:
    provider, exporter = memory_provider()

    async def main() -> None:
        async with running(interceptors=(server_interceptor(provider),)) as server:
            client = Client(
                "127.0.0.1",
                server.port,
                caller="py.client",
                interceptors=(client_interceptor(provider, inject=inject),),  # type: ignore[arg-type]
            )
            await client.call(func, b"hi")
            await client.close()

    asyncio.run(main())
    spans = exporter.get_finished_spans()
    (server_span,) = _by_kind(spans, SpanKind.SERVER)
    (client_span,) = _by_kind(spans, SpanKind.CLIENT)
    return server_span, client_span


def test_server_span_is_a_child_of_the_client_span_with_text_context() -> None:
    s, c = _run_pair("text")
    assert s.context.trace_id == c.context.trace_id  # type: ignore[attr-defined]
    assert s.parent.span_id == c.context.span_id  # type: ignore[attr-defined]
    assert s.parent.is_remote  # type: ignore[attr-defined]
    attrs = s.attributes  # type: ignore[attr-defined]
    assert attrs["rpc.system"] == "trpc"
    assert attrs["rpc.service"] == "trpc.test.echo.Echo"
    assert attrs["rpc.method"] == "Echo"
    assert attrs["trpc.caller_service"] == "py.client"
    assert attrs["trpc.status_code"] == 0
    assert c.attributes["trpc.callee_service"] == "trpc.test.echo.Echo"  # type: ignore[attr-defined]
    assert c.attributes["server.port"] == attrs["server.port"]  # type: ignore[attr-defined]


def test_binary_and_both_formats_parent_the_server_span_too() -> None:
    for inject in ("binary", "both"):
        s, c = _run_pair(inject)
        assert s.parent.span_id == c.context.span_id, inject  # type: ignore[attr-defined]


def test_a_raising_handler_gives_an_error_span_with_the_exception_event() -> None:
    s, c = _run_pair("text", "/trpc.test.echo.Echo/Boom")
    assert s.status.status_code == StatusCode.ERROR  # type: ignore[attr-defined]
    (event,) = s.events  # type: ignore[attr-defined]
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "RuntimeError"
    assert "deep inside" in event.attributes["exception.message"]
    assert "Traceback" in event.attributes["exception.stacktrace"]
    assert s.attributes["trpc.status_code"] == 31  # type: ignore[attr-defined]
    assert s.attributes["trpc.status_type"] == 1  # type: ignore[attr-defined]
    assert c.status.status_code == StatusCode.ERROR  # type: ignore[attr-defined]


def test_a_business_error_is_error_status_without_an_exception_event() -> None:
    s, _ = _run_pair("text", "/trpc.test.echo.Echo/Fail")
    assert s.status.status_code == StatusCode.ERROR  # type: ignore[attr-defined]
    assert s.events == ()  # type: ignore[attr-defined]
    assert s.attributes["trpc.status_type"] == 2  # type: ignore[attr-defined]
    assert s.attributes["trpc.status_msg"] == "echo: failure requested"  # type: ignore[attr-defined]


def test_context_crosses_tasks_and_downstream_calls_replace_the_inbound_trace_keys() -> None:
    provider, exporter = memory_provider()
    seen: dict[str, object] = {}

    async def main() -> None:
        async with running(interceptors=(server_interceptor(provider),)) as down:
            downstream = Client(
                "127.0.0.1", down.port, interceptors=(client_interceptor(provider),)
            )

            async def forward(call: ServerCall) -> bytes:
                async def in_a_task() -> bytes:
                    seen["task_span"] = trace.get_current_span().get_span_context().span_id
                    seen["baggage"] = baggage.get_baggage("user")
                    r = await downstream.call("/trpc.test.echo.Echo/Meta")
                    return r.body

                seen["handler_span"] = trace.get_current_span().get_span_context().span_id
                return await asyncio.create_task(in_a_task())

            handlers = dict(HANDLERS, **{"/up.S/Forward": forward})
            async with running(handlers, interceptors=(server_interceptor(provider),)) as up:
                client = Client("127.0.0.1", up.port, interceptors=(client_interceptor(provider),))
                token = context.attach(baggage.set_baggage("user", "alice"))
                try:
                    r = await client.call("/up.S/Forward", trans_info={"x-app": b"1"})
                finally:
                    context.detach(token)
                seen["meta"] = r.body
                await client.close()
            await downstream.close()

    asyncio.run(main())
    assert seen["task_span"] == seen["handler_span"]
    assert seen["baggage"] == "alice"
    spans = {(s.name, s.kind): s for s in exporter.get_finished_spans()}
    up_server = spans[("/up.S/Forward", SpanKind.SERVER)]
    down_client = spans[("/trpc.test.echo.Echo/Meta", SpanKind.CLIENT)]
    down_server = spans[("/trpc.test.echo.Echo/Meta", SpanKind.SERVER)]
    assert down_client.parent.span_id == up_server.context.span_id
    assert down_server.parent.span_id == down_client.context.span_id
    assert len({s.context.trace_id for s in spans.values()}) == 1
    meta = seen["meta"]
    assert isinstance(meta, bytes)
    # The downstream saw this hop's traceparent (not the inbound one) and the app's own key.
    assert f"{down_client.context.span_id:016x}".encode() in meta
    assert b'"x-app": "1"' in meta
    assert b"alice" in meta
