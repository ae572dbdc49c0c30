"""W3C Trace Context level 1 (traceparent, tracestate) to the letter, over the OpenTelemetry API.

Differences from opentelemetry-api's TraceContextTextMapPropagator, each required by
testdata/propagation/tracecontext.json: higher versions are parsed by their 00 prefix (flags
followed by the end or '-'); a tracestate breaking the grammar, with duplicate keys or over 32
members is discarded whole; on inject over 512 bytes members over 128 bytes are dropped first
(from the end), then any from the end.
"""

from __future__ import annotations

import re

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

from tracewire.propagation.carriers import joined, trim_ows, valid_span_context, with_remote_span

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
TRACEPARENT_SIZE = 55
MAX_MEMBERS = 32
MAX_HEADER_SIZE = 512  # bytes, on inject
LONG_MEMBER_SIZE = 128  # bytes

_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_KEY_CHARS = r"[a-z0-9_\-*/]"
_SIMPLE_KEY = re.compile(rf"[a-z]{_KEY_CHARS}{{0,255}}")
_TENANT_KEY = re.compile(rf"[a-z0-9]{_KEY_CHARS}{{0,240}}@[a-z]{_KEY_CHARS}{{0,13}}")
_VALUE = re.compile(r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]")


def parse_traceparent(value: str) -> tuple[int, int, int] | None:
    """(trace id, span id, flags byte) of a valid traceparent, else None."""
    if len(value) < TRACEPARENT_SIZE:
        return None
    m = _TRACEPARENT.match(value)
    if m is None:
        return None
    version = m.group(1)
    if version == "ff" or (version == "00" and len(value) != TRACEPARENT_SIZE):
        return None
    if len(value) > TRACEPARENT_SIZE and value[TRACEPARENT_SIZE] != "-":
        return None
    trace_id = int(m.group(2), 16)
    span_id = int(m.group(3), 16)
    if trace_id == 0 or span_id == 0:
        return None
    return trace_id, span_id, int(m.group(4), 16)


def format_traceparent(trace_id: int, span_id: int, sampled: bool) -> str:
    """Version 00; of the flags only the sampled bit (the others MUST be zero at 00)."""
    return f"00-{trace_id:032x}-{span_id:016x}-{'01' if sampled else '00'}"


def is_valid_key(key: str) -> bool:
    return (_TENANT_KEY if "@" in key else _SIMPLE_KEY).fullmatch(key) is not None


def parse_tracestate(header: str) -> list[tuple[str, str]] | None:
    """The members of a tracestate header, or None when it is invalid as a whole."""
    members: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in header.split(","):
        member = trim_ows(raw)
        if not member:
            continue
        key, eq, value = member.partition("=")
        if not eq or not is_valid_key(key) or _VALUE.fullmatch(value) is None:
            return None
        if len(members) == MAX_MEMBERS or key in seen:
            return None
        seen.add(key)
        members.append((key, value))
    return members


def format_tracestate(members: list[tuple[str, str]]) -> str:
    """The header for `members`, truncated to 512 bytes by whole members (§3.3.1.5)."""
    sizes = [len(k) + 1 + len(v) for k, v in members]
    keep = [True] * len(members)
    total = sum(sizes) + len(members) - 1
    for only_long in (True, False):
        for i in range(len(members) - 1, -1, -1):
            if total <= MAX_HEADER_SIZE:
                break
            if not keep[i] or (only_long and sizes[i] <= LONG_MEMBER_SIZE):
                continue
            keep[i] = False
            total -= sizes[i] + 1
    return ",".join(f"{k}={v}" for (k, v), kept in zip(members, keep, strict=True) if kept)


class W3CTraceContextPropagator(TextMapPropagator):
    """traceparent + tracestate. Extract leaves `context` as it is when traceparent is invalid."""

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if context is None:
            context = Context()
        value = joined(getter.get(carrier, TRACEPARENT))
        parsed = None if value is None else parse_traceparent(value)
        if parsed is None:
            return context
        trace_id, span_id, flags = parsed
        members: list[tuple[str, str]] = []
        state_header = joined(getter.get(carrier, TRACESTATE))
        if state_header is not None:
            members = parse_tracestate(state_header) or []
        return with_remote_span(context, trace_id, span_id, flags, trace.TraceState(members))

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        sc = valid_span_context(context)
        if sc is None:
            return
        setter.set(
            carrier,
            TRACEPARENT,
            format_traceparent(sc.trace_id, sc.span_id, sc.trace_flags.sampled),
        )
        if sc.trace_state:
            header = format_tracestate(list(sc.trace_state.items()))
            if header:
                setter.set(carrier, TRACESTATE, header)

    @property
    def fields(self) -> set[str]:
        return {TRACEPARENT, TRACESTATE}
