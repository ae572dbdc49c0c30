"""Several propagators as one, and OTEL_PROPAGATORS.

Unlike opentelemetry-api's CompositePropagator (where a later member's span context overrides an
earlier one), the first member that yields a valid span context wins, so `tracecontext` beats
`grpc-trace-bin` beats `b3` when a carrier holds several; baggage is merged from all. Inject
writes every member's format.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

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

from tracewire.propagation.b3 import B3Propagator
from tracewire.propagation.baggage import W3CBaggagePropagator
from tracewire.propagation.grpc_trace_bin import GrpcTraceBinPropagator
from tracewire.propagation.tracecontext import W3CTraceContextPropagator

DEFAULT_OTEL_PROPAGATORS = "tracecontext,baggage"
KNOWN = ("tracecontext", "baggage", "b3", "b3multi", "grpc-trace-bin")


class FirstWinsCompositePropagator(TextMapPropagator):
    def __init__(self, members: Sequence[TextMapPropagator]) -> None:
        self._members = list(members)
        # Once a span context is chosen only these still matter (they carry no span context).
        self._baggage_only = [m for m in self._members if isinstance(m, W3CBaggagePropagator)]
        self._fields: set[str] = set()
        for m in self._members:
            self._fields |= m.fields

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if context is None:
            context = Context()
        original = trace.get_current_span(context)
        acc = trace.set_span_in_context(trace.INVALID_SPAN, context)
        chosen: trace.Span | None = None
        for member in self._members:
            if chosen is not None and member not in self._baggage_only:
                continue
            acc = member.extract(carrier, acc, getter)
            span = trace.get_current_span(acc)
            if chosen is None and span.get_span_context().is_valid:
                chosen = span
            if span is not trace.INVALID_SPAN:
                acc = trace.set_span_in_context(trace.INVALID_SPAN, acc)
        return trace.set_span_in_context(chosen if chosen is not None else original, acc)

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        for member in self._members:
            member.inject(carrier, context, setter)

    @property
    def fields(self) -> set[str]:
        return set(self._fields)


def make_propagator(name: str) -> TextMapPropagator:
    """One OTEL_PROPAGATORS name; ValueError for an unknown one."""
    if name == "tracecontext":
        return W3CTraceContextPropagator()
    if name == "baggage":
        return W3CBaggagePropagator()
    if name == "b3":
        return B3Propagator()
    if name == "b3multi":
        return B3Propagator(multi=True)
    if name == "grpc-trace-bin":
        return GrpcTraceBinPropagator()
    raise ValueError(
        f"OTEL_PROPAGATORS: unknown propagator {name!r}; known: {', '.join(KNOWN)}, none"
    )


def propagator_from_env(value: str | None = None) -> FirstWinsCompositePropagator:
    """The propagator OTEL_PROPAGATORS names (`value` overrides the variable); default
    "tracecontext,baggage"; "none" and repeats are skipped; ValueError on unknown names."""
    if value is None:
        value = os.environ.get("OTEL_PROPAGATORS", "")
    if not value.strip(" \t"):
        value = DEFAULT_OTEL_PROPAGATORS
    names: list[str] = []
    for raw in value.split(","):
        name = raw.strip(" \t").lower()
        if name and name != "none" and name not in names:
            names.append(name)
    return FirstWinsCompositePropagator([make_propagator(n) for n in names])
