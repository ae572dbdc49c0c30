"""The OpenCensus/gRPC binary trace context under the key `grpc-trace-bin`.

Layout (29 bytes as written): version 0; field 0 + 16-byte trace id; field 1 + 8-byte span id;
field 2 + 1 options byte (bit 0 sampled). Fields may come in any order and repeat (the last
wins); decoding stops at the first unknown field. A value starting with byte 0x00 is raw, anything
else is base64 (standard alphabet, padded or not). Through the TextMap API the raw bytes travel as
latin-1 text (tracewire.propagation.carriers).
"""

from __future__ import annotations

import base64
import binascii
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

GRPC_TRACE_BIN = "grpc-trace-bin"
SIZE = 29  # bytes

_FIELD_SIZES = {0: 16, 1: 8, 2: 1}
_BASE64 = re.compile(r"[A-Za-z0-9+/]*")


def decode(data: bytes) -> tuple[int, int, int] | None:
    """(trace id, span id, options byte) of a valid binary context, else None."""
    if not data or data[0] != 0:
        return None
    values = {0: b"", 1: b"", 2: b"\x00"}
    pos = 1
    while pos < len(data):
        field = data[pos]
        pos += 1
        size = _FIELD_SIZES.get(field)
        if size is None:
            break  # a newer format's field: the rest is not ours
        if len(data) - pos < size:
            return None
        values[field] = data[pos : pos + size]
        pos += size
    trace_id = int.from_bytes(values[0], "big") if values[0] else 0
    span_id = int.from_bytes(values[1], "big") if values[1] else 0
    if trace_id == 0 or span_id == 0:
        return None
    return trace_id, span_id, values[2][0]


def decode_value(value: bytes) -> tuple[int, int, int] | None:
    """A trans_info value: raw when it starts with 0x00, else base64."""
    if value[:1] == b"\x00":
        return decode(value)
    text = value.rstrip(b"=") if len(value) % 4 == 0 and value else value
    if len(value) % 4 == 0 and len(value) - len(text) > 2:
        return None
    if len(text) % 4 == 1 or _BASE64.fullmatch(text.decode("latin-1")) is None:
        return None
    try:
        return decode(base64.b64decode(text + b"=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        return None


def encode(trace_id: int, span_id: int, sampled: bool) -> bytes:
    """The 29-byte form; the options byte holds only the sampled bit."""
    return (
        b"\x00\x00"
        + trace_id.to_bytes(16, "big")
        + b"\x01"
        + span_id.to_bytes(8, "big")
        + (b"\x02\x01" if sampled else b"\x02\x00")
    )


class GrpcTraceBinPropagator(TextMapPropagator):
    """Reads raw or base64; writes raw (default) or unpadded base64 (`base64=True`)."""

    def __init__(self, base64: bool = False) -> None:
        self._base64 = base64

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if context is None:
            context = Context()
        value = joined(getter.get(carrier, GRPC_TRACE_BIN))
        found = None if value is None else decode_value(value.encode("latin-1", "replace"))
        if found is None:
            return context
        trace_id, span_id, options = found
        return with_remote_span(context, trace_id, span_id, options)

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        sc = valid_span_context(context)
        if sc is None:
            return
        raw = encode(sc.trace_id, sc.span_id, sc.trace_flags.sampled)
        if self._base64:
            setter.set(carrier, GRPC_TRACE_BIN, base64.b64encode(raw).rstrip(b"=").decode("ascii"))
        else:
            setter.set(carrier, GRPC_TRACE_BIN, raw.decode("latin-1"))

    @property
    def fields(self) -> set[str]:
        return {GRPC_TRACE_BIN}
