"""Server and client interceptors that trace tRPC calls with the OpenTelemetry API, carrying the
context in trans_info as src/trpc/tracing does (and trpc-go's OpenTelemetry plugin reads it).

Server: extracts the caller's context — W3C traceparent/tracestate first, then grpc-trace-bin
(raw or base64), then B3; baggage merged — and runs the handler under a SERVER span made
current, so the handler's logs, the tasks it starts and its downstream calls see it.
Client: starts a CLIENT span under the current context, removes every trace key the request
inherited (a stale traceparent must not reach the next hop), injects the new context as text
(traceparent, tracestate, baggage), binary (grpc-trace-bin raw, plus baggage) or both.

Spans are named after the func and carry rpc.system "trpc", rpc.service, rpc.method,
server.address/port, network.peer.address/port and trpc-go's trpc.caller_service,
trpc.callee_service, trpc.callee_method, trpc.status_code, trpc.status_msg, trpc.status_type.
A non-zero ret or func_ret ends the span with status ERROR; a handler's exception is recorded
as an exception event (with its stack trace).
"""

from __future__ import annotations

import functools
from typing import Literal

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import TextMapPropagator
from opentelemetry.trace import SpanKind, Status, StatusCode

from tracewire.propagation import (
    TRANS_INFO_GETTER,
    TRANS_INFO_SETTER,
    B3Propagator,
    FirstWinsCompositePropagator,
    GrpcTraceBinPropagator,
    W3CBaggagePropagator,
    W3CTraceContextPropagator,
)
from tracewire.trpc.call import CallResult, ClientRequest, ServerCall, TrpcError
from tracewire.trpc.client import ClientInterceptor, Invoke
from tracewire.trpc.frame import CALL_TYPE_ONEWAY
from tracewire.trpc.server import Handler, ServerInterceptor, outcome_of

InjectFormat = Literal["text", "binary", "both"]
SCOPE = "tracewire.trpc"

# Every trans_info key a propagator here writes: what a client call must not forward.
TRACE_KEYS = (
    "traceparent",
    "tracestate",
    "baggage",
    "grpc-trace-bin",
    "b3",
    "x-b3-traceid",
    "x-b3-spanid",
    "x-b3-parentspanid",
    "x-b3-sampled",
    "x-b3-flags",
)


def extract_propagator() -> FirstWinsCompositePropagator:
    """W3C, then grpc-trace-bin, then B3; baggage merged."""
    return FirstWinsCompositePropagator(
        [
            W3CTraceContextPropagator(),
            GrpcTraceBinPropagator(),
            B3Propagator(),
            W3CBaggagePropagator(),
        ]
    )


def inject_propagator(inject: InjectFormat) -> FirstWinsCompositePropagator:
    if inject not in ("text", "binary", "both"):
        raise ValueError(f"inject must be text, binary or both, not {inject!r}")
    members: list[TextMapPropagator] = []
    if inject in ("text", "both"):
        members.append(W3CTraceContextPropagator())
    if inject in ("binary", "both"):
        members.append(GrpcTraceBinPropagator())
    members.append(W3CBaggagePropagator())
    return FirstWinsCompositePropagator(members)


@functools.lru_cache(maxsize=4096)
def split_func(func: str) -> tuple[str, str]:
    """ "/pkg.Service/Method" -> ("pkg.Service", "Method"); no '/' -> ("", func)."""
    service, slash, method = func.rpartition("/")
    if not slash:
        return "", func
    return service.removeprefix("/"), method


def _set_outcome(
    span: trace.Span,
    ret: int,
    func_ret: int,
    message: str,
    more: dict[str, str | int] | None = None,
) -> None:
    # One set_attributes call: the SDK takes the span's lock once per call.
    attributes: dict[str, str | int] = {
        "trpc.status_code": ret if ret != 0 else func_ret,
        "trpc.status_type": 1 if ret != 0 else (2 if func_ret != 0 else 0),
    }
    if message:
        attributes["trpc.status_msg"] = message
    if more:
        attributes.update(more)
    span.set_attributes(attributes)
    if ret != 0 or func_ret != 0:
        span.set_status(Status(StatusCode.ERROR, message))


async def _serve(
    tracer: trace.Tracer,
    name: str,
    parent: Context,
    attributes: dict[str, str | int | bool],
    call: ServerCall,
    handler: Handler,
) -> bytes:
    span = tracer.start_span(name, context=parent, kind=SpanKind.SERVER, attributes=attributes)
    # The caller's context (its baggage too) with the SERVER span, current for the handler and
    # the tasks it starts.
    token = otel_context.attach(trace.set_span_in_context(span, parent))
    try:
        body = await handler(call)
        if span.is_recording():
            _set_outcome(span, 0, 0, "")
        return body
    except Exception as e:
        ret, func_ret, message = outcome_of(e)
        if span.is_recording():
            if not isinstance(e, TrpcError):
                span.record_exception(e)
            _set_outcome(span, ret, func_ret, message)
        raise
    finally:
        otel_context.detach(token)
        span.end()


def server_interceptor(
    tracer_provider: trace.TracerProvider | None = None,
) -> ServerInterceptor:
    """The SERVER span interceptor (the global tracer provider unless one is given)."""
    tracer = trace.get_tracer(SCOPE, tracer_provider=tracer_provider)
    propagator = extract_propagator()

    async def intercept(call: ServerCall, handler: Handler) -> bytes:
        head = call.head
        parent = (
            propagator.extract(head.trans_info, Context(), TRANS_INFO_GETTER)
            if head.trans_info
            else Context()
        )
        service, method = split_func(head.func)
        attributes: dict[str, str | int | bool] = {
            "rpc.system": "trpc",
            "rpc.service": service,
            "rpc.method": method,
            "server.address": call.local_address,
            "server.port": call.local_port,
            "network.peer.address": call.peer_address,
            "network.peer.port": call.peer_port,
            "trpc.caller_service": head.caller,
            "trpc.callee_service": head.callee,
            "trpc.callee_method": method,
        }
        if head.call_type == CALL_TYPE_ONEWAY:
            attributes["trpc.oneway"] = True
        return await _serve(tracer, head.func, parent, attributes, call, handler)

    return intercept


def client_interceptor(
    tracer_provider: trace.TracerProvider | None = None,
    inject: InjectFormat = "text",
) -> ClientInterceptor:
    """The CLIENT span interceptor; `inject` picks the context's form in trans_info."""
    tracer = trace.get_tracer(SCOPE, tracer_provider=tracer_provider)
    propagator = inject_propagator(inject)

    async def intercept(request: ClientRequest, invoke: Invoke) -> CallResult:
        service, method = split_func(request.func)
        attributes: dict[str, str | int | bool] = {
            "rpc.system": "trpc",
            "rpc.service": service,
            "rpc.method": method,
            "server.address": request.host,
            "server.port": request.port,
            "trpc.callee_service": request.callee or service,
            "trpc.callee_method": method,
        }
        if request.caller:
            attributes["trpc.caller_service"] = request.caller
        if request.oneway:
            attributes["trpc.oneway"] = True
        with tracer.start_as_current_span(
            request.func, kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            for key in TRACE_KEYS:
                request.trans_info.pop(key, None)
            propagator.inject(request.trans_info, None, TRANS_INFO_SETTER)
            result = await invoke(request)
            if span.is_recording():
                peer: dict[str, str | int] = {}
                if result.peer_address:
                    peer["network.peer.address"] = result.peer_address
                    peer["network.peer.port"] = result.peer_port
                _set_outcome(span, result.ret, result.func_ret, result.error_msg, peer)
            return result

    return intercept
