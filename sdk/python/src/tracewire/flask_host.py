"""Hosting a tRPC service beside a Flask app in one process.

The tRPC server runs on its own asyncio loop in a daemon thread; Flask (any WSGI server) keeps
the main thread. Flask views reach the loop through `TrpcHost.run(coro)` (e.g. to make tRPC
client calls); `trace_flask_requests(app)` gives each HTTP request a SERVER span continuing the
caller's context from its headers (the global propagator, OTEL_PROPAGATORS).

    host = TrpcHost({"/pkg.Svc/Method": handler}, port=8001)
    host.start()
    trace_flask_requests(app)
    app.run(port=8000)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, Status, StatusCode

from tracewire.tracing import server_interceptor
from tracewire.trpc.server import Handler, Server, ServerInterceptor

T = TypeVar("T")


class _HeadersGetter(Getter[Any]):
    """werkzeug Headers: names in any case, repeated headers as several values."""

    def get(self, carrier: Any, key: str) -> list[str] | None:
        values = carrier.getlist(key)
        return list(values) if values else None

    def keys(self, carrier: Any) -> list[str]:
        return list(carrier.keys())


_HEADERS_GETTER = _HeadersGetter()


class TrpcHost:
    """A tRPC Server on a background loop. Traced by the global tracer provider unless
    `interceptors` is given (pass () for none)."""

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        interceptors: Sequence[ServerInterceptor] | None = None,
    ) -> None:
        chain = [server_interceptor()] if interceptors is None else list(interceptors)
        self._server = Server(handlers, host=host, port=port, interceptors=chain)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="trpc", daemon=True)
        self.port = 0

    def start(self, timeout: float = 10.0) -> int:
        """Starts the loop and the server; returns the bound port."""
        self._thread.start()
        self.run(self._server.start()).result(timeout)
        self.port = self._server.port
        return self.port

    def run(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedules `coro` on the tRPC loop (from any thread), in the caller's OTel context."""
        ctx = otel_context.get_current()

        async def in_context() -> T:
            token = otel_context.attach(ctx)
            try:
                return await coro
            finally:
                otel_context.detach(token)

        return asyncio.run_coroutine_threadsafe(in_context(), self._loop)

    def stop(self, drain: float = 5.0) -> None:
        """Drains the server for up to `drain` s and stops the loop."""
        if not self._thread.is_alive():
            return
        self.run(self._server.close(drain)).result(drain + 5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def trace_flask_requests(app: Any, tracer_provider: trace.TracerProvider | None = None) -> None:
    """Wraps every request of the Flask `app` in a SERVER span named "METHOD /route"."""
    import flask

    tracer = trace.get_tracer("tracewire.flask", tracer_provider=tracer_provider)

    @app.before_request  # type: ignore[untyped-decorator]
    def _start() -> None:
        request = flask.request
        parent = propagate.extract(request.headers, getter=_HEADERS_GETTER)
        route = request.url_rule.rule if request.url_rule is not None else request.path
        span = tracer.start_span(
            f"{request.method} {route}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": request.method,
                "http.route": route,
                "url.path": request.path,
            },
        )
        flask.g.tracewire_span = span
        flask.g.tracewire_token = otel_context.attach(trace.set_span_in_context(span, parent))

    @app.after_request  # type: ignore[untyped-decorator]
    def _status(response: Any) -> Any:
        span = flask.g.get("tracewire_span")
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(Status(StatusCode.ERROR))
        return response

    @app.teardown_request  # type: ignore[untyped-decorator]
    def _end(exc: BaseException | None) -> None:
        span = flask.g.pop("tracewire_span", None)
        token = flask.g.pop("tracewire_token", None)
        if span is None:
            return
        if exc is not None:
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
        span.end()
        if token is not None:
            otel_context.detach(token)
