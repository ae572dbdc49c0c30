"""Getters and setters for the OpenTelemetry TextMap API.

trans_info maps `str` keys to `bytes` values. The TextMap API speaks `str`, so values cross it as
latin-1: every byte is one code point, which keeps binary values (grpc-trace-bin's raw 29 bytes)
exact and leaves the ASCII text formats unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import Getter, Setter

TransInfo = MutableMapping[str, bytes]


class TransInfoGetter(Getter[TransInfo]):
    """Reads trans_info with exact (case-sensitive) keys, as trpc-go does."""

    def get(self, carrier: TransInfo, key: str) -> list[str] | None:
        value = carrier.get(key)
        return None if value is None else [value.decode("latin-1")]

    def keys(self, carrier: TransInfo) -> list[str]:
        return list(carrier.keys())


class TransInfoSetter(Setter[TransInfo]):
    """Writes trans_info; a value written replaces the old one."""

    def set(self, carrier: TransInfo, key: str, value: str) -> None:
        carrier[key] = value.encode("latin-1")


TRANS_INFO_GETTER = TransInfoGetter()
TRANS_INFO_SETTER = TransInfoSetter()


def joined(values: Iterable[str] | None) -> str | None:
    """A header given several times, as one value (RFC 7230 §3.2.2): joined with ','."""
    if values is None:
        return None
    items = list(values)
    if not items:
        return None
    return items[0] if len(items) == 1 else ",".join(items)


def trim_ows(s: str) -> str:
    """Without leading and trailing spaces and tabs."""
    return s.strip(" \t")


def with_remote_span(
    context: Context | None,
    trace_id: int,
    span_id: int,
    flags: int,
    trace_state: trace.TraceState | None = None,
) -> Context:
    """`context` (a new one when None) with an extracted remote span context made current."""
    span_context = trace.SpanContext(
        trace_id,
        span_id,
        is_remote=True,
        trace_flags=trace.TraceFlags(flags),
        trace_state=trace_state,
    )
    span = trace.NonRecordingSpan(span_context)
    return trace.set_span_in_context(span, Context() if context is None else context)


def valid_span_context(context: Context | None) -> trace.SpanContext | None:
    """The span context to inject from `context` (the current one when None), if valid."""
    sc = trace.get_current_span(context).get_span_context()
    return sc if sc.is_valid else None
