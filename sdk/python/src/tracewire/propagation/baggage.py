"""W3C Baggage to the letter, over the OpenTelemetry baggage API.

Values live in the OpenTelemetry baggage (opentelemetry.baggage.get_baggage works on them); the
properties after a value's ';' ride along as BaggageValue.metadata, a `str` subclass, so they
disappear by themselves when the application replaces the value. Rules (testdata/propagation/
baggage.json): invalid members are dropped one by one; a duplicate key replaces the earlier value
in its position; extract keeps the first 64 entries; inject skips whole entries that would pass
8192 bytes; values are percent-encoded with upper-case %XX for every byte outside baggage-octet
and for '%'; properties are normalized to "k;k2=v" without OWS.
"""

from __future__ import annotations

import re

from opentelemetry import baggage
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

from tracewire.propagation.carriers import joined, trim_ows

BAGGAGE = "baggage"
MAX_ENTRIES = 64
MAX_HEADER_SIZE = 8192  # bytes

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_OCTETS = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_PLAIN = frozenset(c for c in range(0x21, 0x7F) if c not in b'",;\\%')  # octets kept


class BaggageValue(str):
    """A baggage value that remembers its W3C properties ("p1;p2=v"; "" for none)."""

    metadata: str

    def __new__(cls, value: str, metadata: str = "") -> BaggageValue:
        self = super().__new__(cls, value)
        self.metadata = metadata
        return self


def is_valid_key(key: str) -> bool:
    return _TOKEN.fullmatch(key) is not None


def percent_decode(encoded: str) -> str:
    """%XX escapes decoded (a '%' without two hex digits stays); invalid UTF-8 -> U+FFFD."""
    if "%" not in encoded:
        return encoded
    raw = _PERCENT.sub(lambda m: bytes((int(m.group(1), 16),)), encoded.encode("latin-1"))
    return raw.decode("utf-8", "replace")


def percent_encode(value: str) -> str:
    """UTF-8 bytes outside baggage-octet, and '%', as upper-case %XX."""
    out = []
    for byte in value.encode("utf-8", "surrogatepass"):
        out.append(chr(byte) if byte in _PLAIN else f"%{byte:02X}")
    return "".join(out)


def normalize_properties(props: str) -> str | None:
    """`;`-separated properties as "k1;k2=v2", or None when one breaks the grammar."""
    out = []
    for raw in props.split(";"):
        prop = trim_ows(raw)
        key, eq, value = prop.partition("=")
        key = trim_ows(key)
        if not is_valid_key(key):
            return None
        if eq:
            value = trim_ows(value)
            if _OCTETS.fullmatch(value) is None:
                return None
            out.append(f"{key}={value}")
        else:
            out.append(key)
    return ";".join(out)


def parse_member(member: str) -> tuple[str, BaggageValue] | None:
    key, eq, rest = member.partition("=")
    if not eq:
        return None
    key = trim_ows(key)
    value, semi, props = rest.partition(";")
    value = trim_ows(value)
    if not is_valid_key(key) or _OCTETS.fullmatch(value) is None:
        return None
    metadata = ""
    if semi:
        normalized = normalize_properties(props)
        if normalized is None:
            return None
        metadata = normalized
    return key, BaggageValue(percent_decode(value), metadata)


def parse_baggage(header: str) -> dict[str, BaggageValue]:
    """The entries of a baggage header, in order (see the module doc for the rules)."""
    entries: dict[str, BaggageValue] = {}
    for raw in header.split(","):
        member = trim_ows(raw)
        parsed = parse_member(member) if member else None
        if parsed is None:
            continue
        key, value = parsed
        if key in entries or len(entries) < MAX_ENTRIES:
            entries[key] = value
    return entries


def format_baggage(entries: dict[str, object]) -> str:
    """The header for `entries` (any values, as str), whole entries only, at most 8192 bytes."""
    out: list[str] = []
    size = 0
    for key, value in entries.items():
        if len(out) == MAX_ENTRIES:
            break
        if not is_valid_key(key):
            continue
        member = f"{key}={percent_encode(str(value))}"
        metadata = getattr(value, "metadata", "")
        if metadata:
            normalized = normalize_properties(metadata)
            if normalized:
                member += ";" + normalized
        needed = len(member) + (1 if out else 0)
        if size + needed > MAX_HEADER_SIZE:
            continue
        out.append(member)
        size += needed
    return ",".join(out)


class W3CBaggagePropagator(TextMapPropagator):
    """`baggage`: extract merges into the context's baggage (the carrier's entries win)."""

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if context is None:
            context = Context()
        header = joined(getter.get(carrier, BAGGAGE))
        if header is None:
            return context
        for key, value in parse_baggage(header).items():
            context = baggage.set_baggage(key, value, context)
        return context

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        entries = baggage.get_all(context)
        if not entries:
            return
        header = format_baggage(dict(entries))
        if header:
            setter.set(carrier, BAGGAGE, header)

    @property
    def fields(self) -> set[str]:
        return {BAGGAGE}
