"""B3 single (`b3`) and multi (`X-B3-*`) headers, for the Envoy/Zipkin world.

Extract: the single header wins; an invalid or sampling-only single header falls back to multi; a
sampling-only header yields no context; 64-bit trace ids fill the low 8 bytes; debug implies
sampled. Inject writes the 128-bit id and 1/0, never the parent id or debug.
"""

from __future__ import annotations

import re

from opentelemetry.context import Context
from opentelemetry.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

from tracewire.propagation.carriers import joined, valid_span_context, with_remote_span

B3 = "b3"
TRACE_ID = "x-b3-traceid"
SPAN_ID = "x-b3-spanid"
PARENT_SPAN_ID = "x-b3-parentspanid"
SAMPLED = "x-b3-sampled"
FLAGS = "x-b3-flags"

_HEX16 = re.compile(r"[0-9a-f]{16}")
_TRACE_ID = re.compile(r"[0-9a-f]{16}|[0-9a-f]{32}")
_SINGLE = re.compile(r"([0-9a-f]+)-([0-9a-f]{16})(?:-([01d])(?:-([0-9a-f]{16}))?)?")


def _ids(trace_hex: str | None, span_hex: str | None) -> tuple[int, int] | None:
    if trace_hex is None or _TRACE_ID.fullmatch(trace_hex) is None:
        return None
    if span_hex is None or _HEX16.fullmatch(span_hex) is None:
        return None
    trace_id, span_id = int(trace_hex, 16), int(span_hex, 16)
    return (trace_id, span_id) if trace_id and span_id else None


def parse_single(value: str) -> tuple[int, int, bool] | None:
    """(trace id, span id, sampled) of a b3 header with ids, else None (sampling-only too)."""
    m = _SINGLE.fullmatch(value)
    if m is None:
        return None
    ids = _ids(m.group(1), m.group(2))
    return None if ids is None else (ids[0], ids[1], m.group(3) in ("1", "d"))


def parse_multi(
    trace_hex: str | None,
    span_hex: str | None,
    parent_hex: str | None,
    sampled: str | None,
    flags: str | None,
) -> tuple[int, int, bool] | None:
    """The X-B3-* headers' context, or None when they hold no valid one."""
    if flags is not None and flags != "0":
        if flags != "1":
            return None
        is_sampled = True
    elif sampled is not None:
        if sampled not in ("1", "true", "0", "false"):
            return None
        is_sampled = sampled in ("1", "true")
    else:
        is_sampled = False
    if parent_hex is not None and _HEX16.fullmatch(parent_hex) is None:
        return None
    ids = _ids(trace_hex, span_hex)
    return None if ids is None else (ids[0], ids[1], is_sampled)


class B3Propagator(TextMapPropagator):
    """Extracts single or multi; injects the single header, or multi when `multi` is set."""

    def __init__(self, multi: bool = False) -> None:
        self._multi = multi

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if context is None:
            context = Context()
        found = None
        single = joined(getter.get(carrier, B3))
        if single is not None:
            found = parse_single(single)
        if found is None:
            found = parse_multi(
                *(
                    joined(getter.get(carrier, k))
                    for k in (TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS)
                )
            )
        if found is None:
            return context
        trace_id, span_id, sampled = found
        return with_remote_span(context, trace_id, span_id, 1 if sampled else 0)

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        sc = valid_span_context(context)
        if sc is None:
            return
        bit = "1" if sc.trace_flags.sampled else "0"
        if not self._multi:
            setter.set(carrier, B3, f"{sc.trace_id:032x}-{sc.span_id:016x}-{bit}")
            return
        setter.set(carrier, TRACE_ID, f"{sc.trace_id:032x}")
        setter.set(carrier, SPAN_ID, f"{sc.span_id:016x}")
        setter.set(carrier, SAMPLED, bit)

    @property
    def fields(self) -> set[str]:
        return {TRACE_ID, SPAN_ID, SAMPLED} if self._multi else {B3}
